/**
 * `ankagit commit`: records the VM directory as a new commit on the current branch. Only chunks the
 * store lacks are stored; files whose stat matches the index are not read. Durable in the settled
 * order: data packs, then trees and the commit, then the ref (compare-and-swap from the parent).
 */
import * as path from 'node:path'
import type { ProgressOptions } from '../options.js'
import { AnkagitError } from '../errors.js'
import type { Repository } from '../repository.js'
import { type ObjectId } from '../objects/id.js'
import { type Commit, encodeCommit } from '../objects/commit.js'
import { readCommit } from '../objects/read.js'
import { WorkerPool } from '../chunk/pool.js'
import { indexIfUnchanged, snapshotWorktree, storeTrees } from '../worktree/snapshot.js'
import { writeIndex } from '../worktree/index-file.js'
import { withRepoLock } from '../worktree/lock.js'
import { checkoutInProgress } from '../worktree/checkout-marker.js'
import { matchesPattern } from '../config.js'
import { identity } from './identity.js'
import { parseRefName } from '../refs/ref-name.js'
import { crashPoint } from '../crash-points.js'

const HEAD_REF = parseRefName('HEAD')

export interface CommitOptions extends ProgressOptions {
  repo: Repository
  message: string
  /** Bundle path of the memory-state file; by default the first file matching vm.memory patterns. */
  memory?: string
  /** Record a commit even when nothing changed (git --allow-empty). */
  allowEmpty?: boolean
  env?: NodeJS.ProcessEnv
}

export interface CommitResult {
  id: ObjectId
  tree: ObjectId
  parents: ObjectId[]
  branch?: string
  suspended?: { memory: string }
  files: number
  filesRead: number
  newChunks: number
  /** Raw bytes of the new chunks. */
  newBytes: number
  /** Bytes added to the store (compressed packs, including metadata). */
  storedBytes: number
}

export async function commit(o: CommitOptions): Promise<CommitResult> {
  const { repo } = o
  if (!o.message.trim()) throw new AnkagitError('EINVALID', 'empty commit message')
  // Nothing to commit is answered without the lock: every file matches the index, and the index's
  // tree is HEAD's commit's. A commit or checkout running meanwhile shows as a mismatch (HEAD, the
  // index and the files are written in that order) and takes the locked path, which reports it.
  if (!o.allowEmpty && !checkoutInProgress(repo)) {
    const idx = indexIfUnchanged(repo)
    if (idx?.head && idx.head === (await repo.refs.read(HEAD_REF, o))) throw nothingToCommit()
  }
  return withRepoLock(repo, async () => {
    if (checkoutInProgress(repo)) throw new AnkagitError('EDIRTY', `a checkout was interrupted; run 'ankagit checkout --force <revision>' first`)
    const head = await repo.refs.readHead(o)
    const parent = await repo.refs.read(HEAD_REF, o)
    const pool = new WorkerPool()
    try {
      const writtenBefore = repo.objects.written.length
      const snap = await snapshotWorktree({ repo, pool, store: true, onProgress: o.onProgress, signal: o.signal })
      // The index remembers the tree of the commit it was written for: no object read when nothing changed.
      const known = parent && snap.index.head === parent ? snap.index.tree : undefined
      const parentTree = known ?? (parent ? (await readCommit(repo.objects, parent, o)).tree : undefined)
      if (parentTree === snap.tree && !o.allowEmpty) throw nothingToCommit()
      if (snap.files.size === 0 && !o.allowEmpty) throw new AnkagitError('ENOCHANGE', 'nothing to commit: the VM directory is empty')
      storeTrees(repo.objects, snap.files)
      const memory = await memoryFile(repo, [...snap.files.keys()], o.memory)
      const who = await identity(repo, o.env)
      const c: Commit = { tree: snap.tree, parents: parent ? [parent] : [], author: who, committer: who, message: normalize(o.message) }
      if (memory) c.suspended = { memory }
      const id = repo.objects.put('commit', encodeCommit(c))
      await repo.objects.flush(o)
      crashPoint('commit-objects-saved')
      await repo.refs.update([{ name: HEAD_REF, next: id, expect: parent ?? null, message: `commit${parent ? '' : ' (initial)'}: ${c.message.split('\n')[0]}` }], o)
      crashPoint('commit-ref-moved')
      writeIndex(repo.gitdir, { ...snap.index, tree: snap.tree, head: id })
      const stored = repo.objects.written.slice(writtenBefore).reduce((a, p) => a + p.bytes, 0)
      const result: CommitResult = {
        id,
        tree: snap.tree,
        parents: c.parents,
        files: snap.files.size,
        filesRead: [...snap.files.values()].filter((f) => f.read).length,
        newChunks: snap.newChunks,
        newBytes: snap.newBytes,
        storedBytes: stored,
      }
      if ('symbolic' in head) result.branch = head.symbolic.replace(/^refs\/heads\//, '')
      if (memory) result.suspended = { memory }
      return result
    } finally {
      await pool.close()
    }
  })
}

function nothingToCommit(): AnkagitError {
  return new AnkagitError('ENOCHANGE', 'nothing to commit, working tree clean')
}

/** git keeps messages as typed but ends them with one newline. */
function normalize(message: string): string {
  return message.replace(/\s+$/, '') + '\n'
}

async function memoryFile(repo: Repository, paths: string[], flag: string | undefined): Promise<string | undefined> {
  if (flag !== undefined) {
    const p = flag.split(path.sep).join('/')
    if (!paths.includes(p)) throw new AnkagitError('EINVALID', `memory-state file '${flag}' is not in the VM directory`)
    return p
  }
  const patterns = await repo.config.memoryFilePatterns()
  return paths.find((p) => patterns.some((pat) => matchesPattern(path.posix.basename(p), pat)))
}
