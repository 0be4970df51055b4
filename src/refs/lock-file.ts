/**
 * "<file>.lock", git lockfile.h style: whoever creates it exclusively owns <file> until it removes
 * it. The lock is created complete, by writing the owner record (lock-owner.ts) to a private temp
 * file and hard-linking it to the lock name: link() fails with EEXIST exactly as O_EXCL does, and
 * no other process ever sees an empty lock file, so a crash cannot leave a lock nobody can judge.
 * Waiters poll with backoff up to a bounded wait, and remove a lock only when its owner is
 * provably dead.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { randomHex } from '../lazy-crypto.js'
import { LockedError, throwIfAborted } from '../errors.js'
import type { AbortOptions } from '../options.js'
import { currentLockOwner, encodeLockOwner, isLockOwnerDead, parseLockOwner } from './lock-owner.js'

/** Git gives up on a held ref lock at once; a short wait lets writers queue instead of failing.
 *  Measured here (ext4, 2 cores): a one-ref transaction holds its lock 1.5-2.3 ms (median), a
 *  ten-ref one 15-28 ms, and 8 writers contending on one ref all landed within 90 ms, so 2 s only
 *  runs out when a holder is stuck, not when it is busy. */
export const DEFAULT_LOCK_TIMEOUT_MS = 2000

export interface LockOptions extends AbortOptions {
  /** How long to wait for a live owner before LockedError. */
  timeoutMs?: number
  /** The locked thing, for messages: "ref 'refs/heads/main'". */
  what?: string
}

export class LockFile {
  private constructor(
    readonly path: string,
    private readonly text: string,
    /** The first directory acquire() had to create, if any, so a caller can prune it again. */
    readonly createdDir: string | undefined,
  ) {}

  /** Locks target by creating "<target>.lock", creating its directory when needed. Errors from
   *  creating that directory (ENOTDIR, EEXIST: a path component is a file) are thrown as they are. */
  static async acquire(target: string, opts: LockOptions = {}): Promise<LockFile> {
    const lockPath = `${target}.lock`
    const text = encodeLockOwner(currentLockOwner())
    const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
    const deadline = Date.now() + timeoutMs
    let delay = 2
    let createdDir: string | undefined
    let needDir = true
    for (;;) {
      throwIfAborted(opts.signal)
      if (needDir) {
        const first = await fs.promises.mkdir(path.dirname(lockPath), { recursive: true })
        createdDir ??= first
        needDir = false
      }
      const made = await createExclusive(lockPath, text)
      if (made === 'created') return new LockFile(lockPath, text, createdDir)
      if (made === 'no-dir') {
        needDir = true // a concurrent prune removed the directory: make it again
        continue
      }
      const held = await readIfExists(lockPath)
      if (held === undefined) continue // released meanwhile
      const holder = parseLockOwner(held)
      if (holder && isLockOwnerDead(holder)) {
        await breakStaleLock(lockPath, held)
        continue
      }
      const left = deadline - Date.now()
      if (left <= 0) {
        const by = holder ? `pid ${holder.pid} on host '${holder.host}'` : 'an unknown owner'
        throw new LockedError(
          `${opts.what ?? `'${target}'`} is locked by ${by}: lock file '${lockPath}' (remove it only if that process is gone)`,
          { lockPath, pid: holder?.pid, host: holder?.host, timeoutMs },
        )
      }
      // Jitter spreads waiters out so they do not wake and collide in step.
      await sleep(Math.min(left, delay * (0.5 + Math.random())))
      delay = Math.min(delay * 2, 100)
    }
  }

  /** Removes the lock if it is still ours. Never throws: a lock that could not be removed names
   *  this process, and becomes recoverable as stale once the process exits. */
  async release(): Promise<void> {
    try {
      if ((await readIfExists(this.path)) === this.text) await fs.promises.unlink(this.path)
    } catch {
      // see above
    }
  }
}

async function createExclusive(lockPath: string, text: string): Promise<'created' | 'exists' | 'no-dir'> {
  const tmp = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}-${randomHex(6)}`)
  try {
    await fs.promises.writeFile(tmp, text, { flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'no-dir'
    throw err
  }
  try {
    await fs.promises.link(tmp, lockPath)
    return 'created'
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return 'exists'
    if (code === 'ENOENT') return 'no-dir'
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV') return createWithoutLink(lockPath, text)
    throw err
  } finally {
    await fs.promises.unlink(tmp).catch(() => {})
  }
}

// Filesystems without hard links (exFAT, some network mounts): O_EXCL create, then write. A
// waiter may briefly see the file empty and treats it as held by an unknown owner.
async function createWithoutLink(lockPath: string, text: string): Promise<'created' | 'exists' | 'no-dir'> {
  try {
    await fs.promises.writeFile(lockPath, text, { flag: 'wx' })
    return 'created'
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return 'exists'
    if (code === 'ENOENT') return 'no-dir'
    throw err
  }
}

/**
 * Removes a lock judged stale from its text. It is first renamed aside and compared: if another
 * waiter broke it first and a new owner already locked again, the moved file holds the new
 * owner's text (its nonce differs), and it is linked back at once.
 */
async function breakStaleLock(lockPath: string, judged: string): Promise<void> {
  const aside = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}-stale-${randomHex(6)}`)
  try {
    await fs.promises.rename(lockPath, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  try {
    if ((await readIfExists(aside)) !== judged) await fs.promises.link(aside, lockPath).catch(() => {})
  } finally {
    await fs.promises.unlink(aside).catch(() => {})
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
