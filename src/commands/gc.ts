/**
 * `ankagit gc`: removes what no ref, HEAD or reflog of any repository using the object store can
 * reach, online (src/maintenance/collect-garbage.ts explains why it is safe beside running commits
 * and why it takes no working-tree lock). With a shared store (`init --shared-store`) the roots are
 * those of every registered user (`<store>/users/`); gc refuses to run when a registered user has
 * disappeared, or when this repository is not registered, because it cannot then see every root.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ProgressOptions } from '../options.js'
import { AnkagitError, InvalidArgumentError } from '../errors.js'
import { type Repository, storeDir } from '../repository.js'
import { FileRefStore } from '../refs/file-ref-store.js'
import { type Root, collectRoots } from '../maintenance/roots.js'
import { registeredUsers } from '../maintenance/store-users.js'
import { type GcResult, collectGarbage } from '../maintenance/collect-garbage.js'
import { REFLOG_EXPIRE_DAYS_DEFAULT, expireReflogs } from '../maintenance/expire-reflogs.js'

export { GRACE_SECONDS_DEFAULT, type GcResult } from '../maintenance/collect-garbage.js'

export interface GcOptions extends ProgressOptions {
  repo: Repository
  dryRun?: boolean
  /** Packs and temp files younger than this are never touched; default GRACE_SECONDS_DEFAULT. */
  graceSeconds?: number
  /** Reflog entries older than this many days are expired first (0: all); default REFLOG_EXPIRE_DAYS_DEFAULT. */
  reflogExpireDays?: number
  now?: number
}

export interface RepoGcResult extends GcResult {
  /** The .ankagit directories whose refs were roots. */
  users: string[]
  /** Reflog entries expired (or, for a dry run, that would be). */
  reflogEntriesExpired: number
}

export async function gc(o: GcOptions): Promise<RepoGcResult> {
  if (o.graceSeconds !== undefined && !(Number.isFinite(o.graceSeconds) && o.graceSeconds >= 0)) {
    throw new InvalidArgumentError(`invalid grace period '${o.graceSeconds}': expected seconds >= 0`)
  }
  const users = await rootRepositories(o.repo)
  const cutoff = (o.now ?? Date.now()) - (o.reflogExpireDays ?? REFLOG_EXPIRE_DAYS_DEFAULT) * 86_400_000
  let reflogEntriesExpired = 0
  for (const u of users) reflogEntriesExpired += await expireReflogs(u.refs, cutoff, { signal: o.signal, dryRun: o.dryRun })
  const roots: Root[] = []
  // reflogSince: a dry run expired nothing, and must count roots as the real run will.
  for (const u of users) roots.push(...(await collectRoots(u.refs, { signal: o.signal, reflogSince: cutoff, label: users.length > 1 ? path.dirname(u.gitdir) : undefined })))
  const result = await collectGarbage({ ...o, store: o.repo.objects, roots })
  return { ...result, users: users.map((u) => u.gitdir), reflogEntriesExpired }
}

async function rootRepositories(repo: Repository): Promise<Array<{ gitdir: string; refs: Repository['refs'] }>> {
  const store = storeDir(repo.gitdir)
  if (samePath(store, path.join(repo.gitdir, 'objects'))) return [{ gitdir: repo.gitdir, refs: repo.refs }]
  const users = registeredUsers(store)
  const gone = users.find((u) => !u.exists)
  if (gone) {
    throw new AnkagitError('ENOTFOUND', `repository '${gone.gitdir}' is registered as a user of the shared store '${store}' but does not exist; if it was deleted, remove '${path.join(store, gone.file)}' and run gc again`, { gitdir: gone.gitdir })
  }
  if (!users.some((u) => samePath(u.gitdir, repo.gitdir))) {
    throw new InvalidArgumentError(`repository '${repo.dir}' is not registered as a user of the shared store '${store}', so gc cannot know every repository that uses it`, { store })
  }
  return users.map((u) => ({ gitdir: u.gitdir, refs: samePath(u.gitdir, repo.gitdir) ? repo.refs : new FileRefStore(u.gitdir) }))
}

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p)
    } catch {
      return path.resolve(p)
    }
  }
  return real(a) === real(b)
}
