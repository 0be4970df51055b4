/**
 * `ankagit gc`: removes what no ref, HEAD or reflog of any repository using the object store can
 * reach, online (src/maintenance/collect-garbage.ts explains why it is safe beside running commits
 * and why it takes no working-tree lock). With a shared store (`init --shared-store`) the roots are
 * those of every registered user (`<store>/users/`); gc refuses to run when a registered user has
 * disappeared, or when this repository is not registered, because it cannot then see every root.
 *
 * gcRegistry does the same for a daemon's registry (`ankagit gc --root DIR` or `--store s3://…`),
 * whose roots are every repository's refs, HEAD and reflogs, while daemons keep serving it: a push
 * in flight is kept by the grace period (its packs are young until its refs move) and by the
 * daemon's connectivity check, which refuses a ref update that names an object gc has removed.
 * The roots are read once, before marking: a ref moved during the run onto objects that were
 * unreachable then, and not sent again, is not protected (docs/deployment.md, "Known limits").
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ProgressOptions } from '../options.js'
import { AnkagitError, InvalidArgumentError } from '../errors.js'
import { type Repository, storeDir } from '../repository.js'
import { FileRefStore } from '../refs/file-ref-store.js'
import type { RefStore } from '../refs/ref-store.js'
import type { Registry } from '../transport/registry.js'
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
  checkGrace(o.graceSeconds)
  const users = await rootRepositories(o.repo)
  const stores = users.map((u) => ({ refs: u.refs, label: users.length > 1 ? path.dirname(u.gitdir) : undefined }))
  const { roots, reflogEntriesExpired } = await expireAndCollectRoots(async () => stores, o)
  const result = await collectGarbage({ ...o, store: o.repo.objects, roots })
  return { ...result, users: users.map((u) => u.gitdir), reflogEntriesExpired }
}

export interface RegistryGcOptions extends Omit<GcOptions, 'repo'> {
  registry: Registry
}

export interface RegistryGcResult extends GcResult {
  /** The repositories whose refs were roots. */
  repositories: string[]
  reflogEntriesExpired: number
}

/** gc of a daemon's registry: the roots are the refs, HEAD and reflogs of every repository it lists. */
export async function gcRegistry(o: RegistryGcOptions): Promise<RegistryGcResult> {
  checkGrace(o.graceSeconds)
  let labels: string[] = []
  // Listed again each time gc reads the roots: a repository created meanwhile counts too.
  const listStores = async () => {
    const stores: Array<{ refs: RefStore; label: string }> = []
    for (const name of await o.registry.list({ signal: o.signal })) {
      const refs = await o.registry.open(name, { signal: o.signal })
      if (refs) stores.push({ refs, label: name })
    }
    labels = stores.map((s) => s.label)
    return stores
  }
  const { roots, reflogEntriesExpired } = await expireAndCollectRoots(listStores, o)
  const result = await collectGarbage({ ...o, store: o.registry.objects, roots })
  return { ...result, repositories: labels, reflogEntriesExpired }
}

type RootStores = () => Promise<ReadonlyArray<{ refs: RefStore; label?: string }>>

/**
 * Expires old reflog entries of every store (counts them only, for a dry run), and returns a reader
 * of the roots that gc calls each time it looks (refs move while gc runs).
 */
async function expireAndCollectRoots(list: RootStores, o: Omit<GcOptions, 'repo'>): Promise<{ roots: () => Promise<Root[]>; reflogEntriesExpired: number }> {
  const cutoff = (o.now ?? Date.now()) - (o.reflogExpireDays ?? REFLOG_EXPIRE_DAYS_DEFAULT) * 86_400_000
  let reflogEntriesExpired = 0
  for (const s of await list()) reflogEntriesExpired += await expireReflogs(s.refs, cutoff, { signal: o.signal, dryRun: o.dryRun })
  const roots = async () => {
    const out: Root[] = []
    // reflogSince: a dry run expired nothing, and must count roots as the real run will.
    for (const s of await list()) out.push(...(await collectRoots(s.refs, { signal: o.signal, reflogSince: cutoff, label: s.label })))
    return out
  }
  return { roots, reflogEntriesExpired }
}

function checkGrace(graceSeconds: number | undefined): void {
  if (graceSeconds !== undefined && !(Number.isFinite(graceSeconds) && graceSeconds >= 0)) {
    throw new InvalidArgumentError(`invalid grace period '${graceSeconds}': expected seconds >= 0`)
  }
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
