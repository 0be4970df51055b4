/**
 * The working-tree lock, `.ankagit/index.lock` (git's name): held by commit and checkout for their
 * whole run, so two of them never interleave in one VM directory. Stale locks of dead processes are
 * recovered by LockFile; a live holder makes the second command fail with LockedError at once.
 */
import * as path from 'node:path'
import type { Repository } from '../repository.js'
import { LockFile } from '../refs/lock-file.js'
import { LockedError } from '../errors.js'

export async function withRepoLock<T>(repo: Repository, fn: () => Promise<T>): Promise<T> {
  const lock = await LockFile.acquire(path.join(repo.gitdir, 'index'), { timeoutMs: 0, what: `the VM directory '${repo.dir}'` })
  try {
    return await fn()
  } finally {
    await lock.release()
  }
}

/** Runs fn under the lock if it is free now; returns undefined without running it otherwise. */
export async function tryRepoLock<T>(repo: Repository, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await withRepoLock(repo, fn)
  } catch (err) {
    if (err instanceof LockedError) return undefined
    throw err
  }
}
