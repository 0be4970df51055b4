/**
 * `ankagit checkout REV`: makes the VM directory hold REV. Files already equal are not touched; a
 * changed file gets only the chunks that differ at their offsets (when its current content is known
 * and stored), with holes kept sparse. A CHECKOUT marker spans the writes, so an interrupted checkout
 * is reported, never mistaken for a complete VM. Local changes that would be overwritten stop it
 * unless `force`.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ProgressOptions } from '../options.js'
import { AnkagitError } from '../errors.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { readBundleFiles, readCommit } from '../objects/read.js'
import { WorkerPool } from '../chunk/pool.js'
import { FramePool } from '../pack/frame-pool.js'
import { ThreadPool } from '../threads/thread-pool.js'
import { snapshotWorktree } from '../worktree/snapshot.js'
import { type WorktreeIndex, statKey, writeIndex } from '../worktree/index-file.js'
import { assembleFile } from '../worktree/assemble-file.js'
import { clearCheckout, markCheckout } from '../worktree/checkout-marker.js'
import { withRepoLock } from '../worktree/lock.js'
import { parseRefName, type RefName } from '../refs/ref-name.js'
import { resolveCommitish } from './revision.js'
import { crashPoint } from '../crash-points.js'

export interface CheckoutOptions extends ProgressOptions {
  repo: Repository
  rev: string
  force?: boolean
}

export interface CheckoutResult {
  id: ObjectId
  branch?: string
  filesWritten: number
  filesRemoved: number
  bytesWritten: number
  bytesPunched: number
}

export async function checkout(o: CheckoutOptions): Promise<CheckoutResult> {
  const { repo } = o
  return withRepoLock(repo, async () => {
    const { id, branch } = await resolveTarget(repo, o.rev)
    const message = `checkout: moving to ${o.rev}`
    const result = await switchWorktree({
      ...o,
      id,
      moveRefs: () => repo.refs.writeHead(branch ? { symbolic: branch } : { id }, { message }),
    })
    if (branch) result.branch = branch.replace(/^refs\/heads\//, '')
    return result
  })
}

export interface SwitchOptions extends ProgressOptions {
  repo: Repository
  /** The commit the working tree must hold. */
  id: ObjectId
  force?: boolean
  /** Moves HEAD or a branch once the files are written (checkout, pull, clone each move different refs). */
  moveRefs: () => Promise<void>
}

/**
 * Makes the VM directory hold commit `id`, writing only what differs, then calls moveRefs and saves
 * the index. The caller holds the working-tree lock. HEAD's commit is what the files are expected to
 * hold, so changes against it are "local changes" that only `force` may overwrite.
 */
export async function switchWorktree(o: SwitchOptions): Promise<CheckoutResult> {
  const { repo, id } = o
  const targetTree = (await readCommit(repo.objects, id, o)).tree
  const target = await readBundleFiles(repo.objects, targetTree, o)
  const headId = await repo.refs.read(parseRefName('HEAD'), o)
  const committed = headId ? await readBundleFiles(repo.objects, (await readCommit(repo.objects, headId, o)).tree, o) : new Map()
  // One set of threads hashes the current files, then decompresses and verifies what is written.
  const threads = new ThreadPool()
  try {
    const current = await snapshotWorktree({ repo, pool: new WorkerPool(threads), store: false, signal: o.signal })
    if (!o.force) refuseToLoseChanges(current.files, committed, target)
    markCheckout(repo, id)
    crashPoint('checkout-marked')
    return await writeFiles(o, { target, targetTree, committed, current: current.files, frames: new FramePool(threads) })
  } finally {
    await threads.close()
  }
}

async function writeFiles(
  o: SwitchOptions,
  w: { target: Map<string, { id: ObjectId; size: number; mode: number }>; targetTree: ObjectId; committed: Map<string, unknown>; current: Map<string, { id: ObjectId; mode: number }>; frames: FramePool },
): Promise<CheckoutResult> {
  const { repo, id } = o
  const { target, targetTree, committed } = w
  const result: CheckoutResult = { id, filesWritten: 0, filesRemoved: 0, bytesWritten: 0, bytesPunched: 0 }
  const total = [...target.values()].reduce((a, f) => a + f.size, 0)
  let done = 0
  for (const [p, want] of target) {
    const have = w.current.get(p)
    const abs = path.join(repo.dir, ...p.split('/'))
    if (have?.id !== want.id || (have.mode & 0o7777) !== want.mode) {
      fs.mkdirSync(path.dirname(abs), { recursive: true })
      const base = have && (await repo.objects.has(have.id)) ? have.id : undefined
      const before = done
      const r = await assembleFile({
        store: repo.objects, pool: w.frames, path: abs, target: want.id, base, size: want.size, mode: want.mode, signal: o.signal,
        onProgress: o.onProgress && ((e) => o.onProgress!({ phase: 'checkout', done: before + e.done, total, unit: 'bytes' })),
      })
      result.filesWritten++
      result.bytesWritten += r.bytesWritten
      result.bytesPunched += r.bytesPunched
      crashPoint('checkout-file-written')
    }
    done += want.size
  }
  // Files of the old version that the target does not have; untracked files are left alone, as git does.
  for (const p of committed.keys()) {
    if (target.has(p) || !w.current.has(p)) continue
    fs.rmSync(path.join(repo.dir, ...p.split('/')), { force: true })
    result.filesRemoved++
  }
  crashPoint('checkout-files-removed')
  await o.moveRefs()
  crashPoint('checkout-head-moved')
  writeIndex(repo.gitdir, indexFor(repo, target, targetTree, id))
  clearCheckout(repo)
  return result
}

async function resolveTarget(repo: Repository, rev: string): Promise<{ id: ObjectId; branch?: RefName }> {
  const branchName = rev.startsWith('refs/heads/') ? rev : `refs/heads/${rev}`
  try {
    const ref = parseRefName(branchName)
    const id = await repo.refs.read(ref)
    if (id) return { id, branch: ref }
  } catch {
    // Not a valid branch name: it may still be an id or an expression like v1~2.
  }
  return { id: await resolveCommitish(repo, rev) }
}

/** Throws EDIRTY when checkout would overwrite or delete content that is not committed. */
function refuseToLoseChanges(
  current: Map<string, { id: ObjectId }>,
  committed: Map<string, { id: ObjectId }>,
  target: Map<string, { id: ObjectId }>,
): void {
  const lost: string[] = []
  for (const p of new Set([...current.keys(), ...committed.keys()])) {
    const cur = current.get(p)?.id
    const com = committed.get(p)?.id
    const tgt = target.get(p)?.id
    if (cur === com || cur === tgt) continue // no local change, or the checkout leaves the file as it is
    if (com === undefined && tgt === undefined) continue // an untracked file, which checkout leaves alone
    if (cur === undefined) continue // deleted locally: restoring it loses nothing
    lost.push(p)
  }
  if (lost.length) {
    throw new AnkagitError('EDIRTY', `local changes to ${lost.map((p) => `'${p}'`).join(', ')} would be overwritten by checkout; commit them or use --force`, { paths: lost })
  }
}

function indexFor(repo: Repository, files: Map<string, { id: ObjectId }>, tree: ObjectId, head: ObjectId): WorktreeIndex {
  const idx: WorktreeIndex = { version: 1, tree, head, scannedNs: String(BigInt(Date.now() + 1) * 1_000_000n), files: {} }
  for (const [p, f] of files) idx.files[p] = { ...statKey(fs.statSync(path.join(repo.dir, ...p.split('/')), { bigint: true })), id: f.id }
  return idx
}
