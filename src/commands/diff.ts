/**
 * `ankagit diff`: per file of the bundle, whether it changed, how many bytes and where, and how many
 * bytes a transfer from the old version to the new one would need (chunks of the new version found
 * nowhere in the old one). Small text files (config) also get a unified text diff. With one revision
 * the new side is the working tree (hashed, not stored).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createTwoFilesPatch } from 'diff'
import type { ProgressOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import type { ObjectSource, RawObject } from '../objects/object-store.js'
import { readBundleFiles, readCommit } from '../objects/read.js'
import { diffFileTrees, fileExtents } from '../objects/file-extents.js'
import { WorkerPool } from '../chunk/pool.js'
import { snapshotWorktree } from '../worktree/snapshot.js'
import { resolveCommitish } from './revision.js'

export type FileStatus = 'added' | 'deleted' | 'modified' | 'unchanged'

export interface FileDiff {
  path: string
  status: FileStatus
  oldSize?: number
  newSize?: number
  /** Bytes of the new file that differ from the old one at the same offsets (data and holes). */
  changedBytes: number
  /** Contiguous changed ranges, counted, and the first few as [start, end). */
  changedRanges: number
  ranges: Array<[number, number]>
  /** Raw bytes of the new file's chunks found nowhere in the old version (what a pull would fetch). */
  transferBytes: number
  /** Unified diff, for small text files. */
  text?: string
}

export interface DiffResult {
  from: ObjectId
  /** A commit id, or 'worktree'. */
  to: ObjectId | 'worktree'
  files: FileDiff[]
  changedBytes: number
  transferBytes: number
}

export interface DiffOptions extends ProgressOptions {
  repo: Repository
  from: string
  /** Omitted: the working tree. */
  to?: string
  /** Include unchanged files in the result. */
  all?: boolean
}

const TEXT_MAX = 1 << 20
const RANGES_SHOWN = 5

interface Side {
  files: Map<string, { id: ObjectId; size: number }>
  src: ObjectSource
  /** Reads a whole small file of this side. */
  read(p: string, id: ObjectId, size: number): Promise<Buffer>
}

export async function diff(o: DiffOptions): Promise<DiffResult> {
  const { repo } = o
  const fromId = await resolveCommitish(repo, o.from, o)
  const a = await commitSide(repo, fromId, o)
  const toId = o.to === undefined ? 'worktree' : await resolveCommitish(repo, o.to, o)
  const b = toId === 'worktree' ? await worktreeSide(repo, o) : await commitSide(repo, toId, o)

  const files: FileDiff[] = []
  const candidates = new Map<string, { length: number; file: FileDiff }>()
  for (const p of [...new Set([...a.files.keys(), ...b.files.keys()])].sort()) {
    const fa = a.files.get(p)
    const fb = b.files.get(p)
    const status: FileStatus = !fa ? 'added' : !fb ? 'deleted' : fa.id === fb.id ? 'unchanged' : 'modified'
    const d: FileDiff = { path: p, status, changedBytes: 0, changedRanges: 0, ranges: [], transferBytes: 0 }
    if (fa) d.oldSize = fa.size
    if (fb) d.newSize = fb.size
    if (fb && status !== 'unchanged') {
      let last: [number, number] | undefined
      for await (const c of diffFileTrees(b.src, fa?.id, fb.id, o)) {
        d.changedBytes += c.length
        if (last && last[1] === c.offset) last[1] += c.length
        else {
          last = [c.offset, c.offset + c.length]
          d.changedRanges++
          if (d.ranges.length < RANGES_SHOWN) d.ranges.push(last)
        }
        if (c.kind === 'chunk' && !candidates.has(c.id)) candidates.set(c.id, { length: c.length, file: d })
      }
      if (fa && fb.size < fa.size) d.changedBytes += fa.size - fb.size
      if (fb.size <= TEXT_MAX && (fa?.size ?? 0) <= TEXT_MAX) d.text = await textDiff(p, fa && (await a.read(p, fa.id, fa.size)), await b.read(p, fb.id, fb.size))
    } else if (status === 'deleted') d.changedBytes = fa!.size
    if (status !== 'unchanged' || o.all) files.push(d)
  }
  // A chunk that changed place is no transfer: drop candidates the old version holds anywhere.
  if (candidates.size) {
    for (const f of a.files.values()) for await (const e of fileExtents(a.src, f.id, o)) if (e.kind === 'chunk') candidates.delete(e.id)
  }
  for (const c of candidates.values()) c.file.transferBytes += c.length
  return {
    from: fromId,
    to: toId,
    files,
    changedBytes: files.reduce((s, f) => s + f.changedBytes, 0),
    transferBytes: files.reduce((s, f) => s + f.transferBytes, 0),
  }
}

async function commitSide(repo: Repository, id: ObjectId, o: ProgressOptions): Promise<Side> {
  const files = await readBundleFiles(repo.objects, (await readCommit(repo.objects, id, o)).tree, o)
  return { files, src: repo.objects, read: (_p, fid, size) => readWhole(repo.objects, fid, size) }
}

async function worktreeSide(repo: Repository, o: ProgressOptions): Promise<Side> {
  const nodes = new Map<string, Buffer>()
  const pool = new WorkerPool()
  let snap
  try {
    snap = await snapshotWorktree({ repo, pool, store: false, keepNodes: nodes, onProgress: o.onProgress, signal: o.signal })
  } finally {
    await pool.close()
  }
  // File trees of changed files exist only in memory; everything else comes from the store.
  const src: ObjectSource = {
    has: async (id) => nodes.has(id) || (await repo.objects.has(id)),
    get: async (id, opts): Promise<RawObject> => {
      const body = nodes.get(id)
      return body ? { kind: 'file', body } : repo.objects.get(id, opts)
    },
  }
  return { files: snap.files, src, read: async (p) => fs.promises.readFile(path.join(repo.dir, ...p.split('/'))) }
}

async function readWhole(src: ObjectSource, id: ObjectId, size: number): Promise<Buffer> {
  const buf = Buffer.alloc(size)
  for await (const e of fileExtents(src, id)) if (e.kind === 'chunk') (await src.get(e.id)).body.copy(buf, e.offset)
  return buf
}

function isText(b: Buffer): boolean {
  return !b.includes(0) && Buffer.from(b.toString('utf8'), 'utf8').equals(b)
}

async function textDiff(p: string, oldBytes: Buffer | undefined, newBytes: Buffer): Promise<string | undefined> {
  if ((oldBytes && !isText(oldBytes)) || !isText(newBytes)) return undefined
  return createTwoFilesPatch(`a/${p}`, `b/${p}`, oldBytes?.toString('utf8') ?? '', newBytes.toString('utf8'), undefined, undefined, { context: 3 })
}
