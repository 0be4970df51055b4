/**
 * Snapshots the working tree as a vm tree: files whose stat matches the index keep their cached file
 * tree id; the others are read and imported (commit) or only hashed (status). Returns the tree id, one
 * record per file, and the refreshed index to save (its tree is this snapshot's). The vm trees are only hashed here: a
 * commit stores them (storeTrees) once it knows the tree differs from its parent's, so a commit with
 * nothing to do opens no pack index.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ProgressOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectStore } from '../objects/object-store.js'
import { type ObjectId, hashObject } from '../objects/id.js'
import { type VmEntry, encodeVmTree } from '../objects/vm-tree.js'
import { AnkagitError } from '../errors.js'
import type { WorkerPool } from '../chunk/pool.js'
import type { importFile as ImportFile } from '../chunk/import-file.js'
import { CDC_DEFAULT, FIXED_DEFAULT, type ChunkerParams } from '../chunk/chunker.js'
import { matchesPattern } from '../config.js'
import { type IndexEntry, type StatKey, type WorktreeIndex, isClean, readIndex, statKey } from './index-file.js'
import { type ScannedFile, scanWorktree } from './scan.js'
export interface SnapshotFile {
  id: ObjectId
  size: number
  mode: number
  /** True when the file was read this time (its stat did not match the index). */
  read: boolean
}

export interface Snapshot {
  tree: ObjectId
  files: Map<string, SnapshotFile>
  index: WorktreeIndex
  newChunks: number
  newBytes: number
  storedBytes: number
}

export interface SnapshotOptions extends ProgressOptions {
  repo: Repository
  pool: WorkerPool
  /** Store the file trees and chunks of files read (commit) or only compute ids (status). */
  store: boolean
  /** Without store: collects the file tree nodes of files that were read (see importFile). */
  keepNodes?: Map<string, Buffer>
}

export async function snapshotWorktree(o: SnapshotOptions): Promise<Snapshot> {
  const { repo } = o
  const scannedNs = String(BigInt(Date.now()) * 1_000_000n)
  const old = readIndex(repo.gitdir)
  // Read only when a file must be read: config loading pulls in isomorphic-git (~60 ms).
  let fixed: string[] | undefined
  let importFile: typeof ImportFile | undefined
  const scanned = scanWorktree(repo.dir)
  const files = new Map<string, SnapshotFile>()
  const index: WorktreeIndex = { version: 1, tree: null, head: null, scannedNs, files: {} }
  const toRead = new Set(scanned.filter((f) => !isClean(old.files[f.path], statKey(f.stat), old.scannedNs)))
  const total = [...toRead].reduce((a, f) => a + Number(f.stat.size), 0)
  let before = 0
  const result = { newChunks: 0, newBytes: 0, storedBytes: 0 }
  for (const f of scanned) {
    const key = statKey(f.stat)
    const read = toRead.has(f)
    let id: ObjectId
    if (!read) {
      id = old.files[f.path]!.id
    } else {
      // The import pipeline (chunkers, zstd, the sparse addon) loads only when a file must be read.
      importFile ??= (await import('../chunk/import-file.js')).importFile
      fixed ??= await repo.config.fixedChunkingPatterns()
      const chunking: ChunkerParams = fixed.some((p) => matchesPattern(path.posix.basename(f.path), p)) ? FIXED_DEFAULT : CDC_DEFAULT
      const base = before
      const r = await importFile({
        store: repo.objects,
        pool: o.pool,
        path: path.join(repo.dir, f.path),
        chunking,
        hashOnly: !o.store,
        keepNodes: o.keepNodes,
        phase: o.store ? 'commit' : 'status',
        signal: o.signal,
        onProgress: o.onProgress && ((e) => o.onProgress!({ ...e, done: base + e.done, total })),
      })
      before += Number(f.stat.size)
      const after = statKey(fs.lstatSync(path.join(repo.dir, f.path), { bigint: true }))
      if (!sameStat(key, after)) throw new AnkagitError('EINVALID', `'${f.path}' changed while it was read; stop the VM and try again`)
      id = r.id
      result.newChunks += r.newChunks
      result.newBytes += r.newBytes
      result.storedBytes += r.storedBytes
    }
    files.set(f.path, { id, size: key.size, mode: key.mode & 0o7777, read })
    index.files[f.path] = { ...key, id } satisfies IndexEntry
  }
  // Nothing read, nothing added or gone: these are the index's files, and the index's tree describes
  // exactly them (index-file.ts), so a commit or status with nothing to do hashes nothing.
  const tree = toRead.size === 0 && matchesIndex(scanned, old) ? old.tree! : buildTrees(files, hashObject)
  index.tree = tree
  index.head = tree === old.tree ? old.head : null
  return { tree, files, index, ...result }
}

/**
 * The index, when the working tree is exactly its files, each with the stat it records: nothing to
 * read, nothing added or gone, so the VM's tree is the index's. Null otherwise, or with no tree known.
 */
export function indexIfUnchanged(repo: Pick<Repository, 'dir' | 'gitdir'>): WorktreeIndex | null {
  const idx = readIndex(repo.gitdir)
  return matchesIndex(scanWorktree(repo.dir), idx) ? idx : null
}

function matchesIndex(scanned: ScannedFile[], idx: WorktreeIndex): boolean {
  return idx.tree !== null && scanned.length === Object.keys(idx.files).length && scanned.every((f) => isClean(idx.files[f.path], statKey(f.stat), idx.scannedNs))
}

function sameStat(a: StatKey, b: StatKey): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino
}

/** Stores the vm trees of a snapshot's files; returns the root tree id (the snapshot's tree). */
export function storeTrees(store: ObjectStore, files: Snapshot['files']): ObjectId {
  return buildTrees(files, (kind, body) => store.put(kind, body))
}

/** Builds the vm trees bottom-up from bundle paths; returns the root tree id. */
function buildTrees(files: Map<string, { id: ObjectId; size: number; mode: number }>, put: (kind: 'vm', body: Buffer) => ObjectId): ObjectId {
  interface Dir { files: VmEntry[]; dirs: Map<string, Dir> }
  const root: Dir = { files: [], dirs: new Map() }
  for (const [p, f] of files) {
    const parts = p.split('/')
    let d = root
    for (const part of parts.slice(0, -1)) {
      let sub = d.dirs.get(part)
      if (!sub) d.dirs.set(part, (sub = { files: [], dirs: new Map() }))
      d = sub
    }
    d.files.push({ name: parts.at(-1)!, type: 'file', mode: f.mode, size: f.size, id: f.id })
  }
  const write = (d: Dir): ObjectId => {
    const entries = [...d.files]
    for (const [name, sub] of d.dirs) entries.push({ name, type: 'dir', mode: 0o755, size: 0, id: write(sub) })
    return put('vm', encodeVmTree({ entries }))
  }
  return write(root)
}
