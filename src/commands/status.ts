/**
 * `ankagit status`: how the VM directory differs from HEAD. Files whose stat matches the index are not
 * read; the others are hashed (nothing is stored). Warns when HEAD is a suspended VM and its disk
 * changed since, because resuming that memory state on another disk would corrupt the VM.
 */
import type { ProgressOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { readBundleFiles, readCommit } from '../objects/read.js'
import { WorkerPool } from '../chunk/pool.js'
import { snapshotWorktree } from '../worktree/snapshot.js'
import { type WorktreeIndex, writeIndex } from '../worktree/index-file.js'
import { checkoutInProgress } from '../worktree/checkout-marker.js'
import { tryRepoLock } from '../worktree/lock.js'
import { parseRefName } from '../refs/ref-name.js'

export type FileState = 'modified' | 'added' | 'deleted'

export interface StatusResult {
  branch?: string
  head?: ObjectId
  /** Target of an interrupted checkout: the files may be a mix of two versions. */
  checkoutInterrupted?: ObjectId
  changes: Array<{ path: string; state: FileState; size?: number }>
  clean: boolean
  suspended?: { memory: string; diskChanged: boolean }
  warnings: string[]
}

export async function status(o: ProgressOptions & { repo: Repository }): Promise<StatusResult> {
  const { repo } = o
  const head = await repo.refs.readHead(o)
  const headId = await repo.refs.read(parseRefName('HEAD'), o)
  const commit = headId ? await readCommit(repo.objects, headId, o) : undefined
  const committed = commit ? await readBundleFiles(repo.objects, commit.tree, o) : new Map<string, { id: ObjectId; size: number }>()
  const pool = new WorkerPool()
  let snap
  try {
    snap = await snapshotWorktree({ repo, pool, store: false, onProgress: o.onProgress, signal: o.signal })
  } finally {
    await pool.close()
  }
  const changes: StatusResult['changes'] = []
  for (const [p, f] of snap.files) {
    const c = committed.get(p)
    if (!c) changes.push({ path: p, state: 'added', size: f.size })
    else if (c.id !== f.id) changes.push({ path: p, state: 'modified', size: f.size })
  }
  for (const p of committed.keys()) if (!snap.files.has(p)) changes.push({ path: p, state: 'deleted' })
  changes.sort((a, b) => (a.path < b.path ? -1 : 1))

  await refreshIndex(repo, snap.index, committed)
  const result: StatusResult = { changes, clean: changes.length === 0, warnings: [] }
  if ('symbolic' in head) result.branch = head.symbolic.replace(/^refs\/heads\//, '')
  if (headId) result.head = headId
  const interrupted = checkoutInProgress(repo)
  if (interrupted) {
    result.checkoutInterrupted = interrupted
    result.clean = false
    result.warnings.push(`a checkout was interrupted: the VM files may mix two versions; run 'ankagit checkout --force <revision>'`)
  }
  if (commit?.suspended) {
    const memory = commit.suspended.memory
    const diskChanged = changes.some((c) => c.path !== memory)
    result.suspended = { memory, diskChanged }
    if (diskChanged) {
      result.warnings.push(`HEAD is a suspended VM, but its disk changed since: resuming '${memory}' would corrupt the VM; discard the memory state or check out HEAD again`)
    }
  }
  return result
}

/**
 * Saves stat data for files that turned out unchanged (touched, copied back), so the next status
 * need not read them. Only ids equal to the committed ones are cached: an id computed without storing
 * must never reach the index, or a later commit would trust chunks that were never stored.
 */
async function refreshIndex(repo: Repository, index: WorktreeIndex, committed: Map<string, { id: ObjectId }>): Promise<void> {
  const files: WorktreeIndex['files'] = {}
  let dropped = false
  for (const [p, e] of Object.entries(index.files)) {
    if (committed.get(p)?.id === e.id) files[p] = e
    else dropped = true
  }
  // The index's tree must describe exactly its files: with entries dropped, no tree is known.
  const known = dropped ? { tree: null, head: null } : {}
  await tryRepoLock(repo, async () => writeIndex(repo.gitdir, { ...index, files, ...known }))
}
