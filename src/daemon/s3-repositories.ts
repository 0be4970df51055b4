/**
 * S3Repositories: the repositories of a registry on S3, for daemon replicas sharing one bucket.
 * Under the registry's prefix:
 *
 *     names/<name>     one small object per repository; it exists exactly when the repository does
 *     repos/<name>/    the repository's refs (S3RefStore's layout: HEAD, refs/, logs/, txn/)
 *
 * The names/ objects make listing one LIST of short keys however many refs and reflog entries the
 * repositories hold, and creation one conditional PUT (If-None-Match: *), so replicas racing to
 * create a name all end up with the one repository. A repository without a HEAD object reads as
 * HEAD -> refs/heads/main (S3RefStore), so creation writes nothing else.
 */
import type { AbortOptions } from '../options.js'
import { throwIfAborted } from '../errors.js'
import { S3RefStore, type S3RefStoreOptions } from '../refs/s3-ref-store.js'
import { retrying } from '../store/retry.js'
import type { S3Prefix } from '../store/s3.js'
import { repositoryNameProblem } from '../transport/repository-name.js'
import { DAEMON_WHO, type Repositories } from './repositories.js'

export class S3Repositories implements Repositories {
  readonly location: string
  private readonly names: S3Prefix
  private readonly repos: S3Prefix
  /** Stores of repositories seen to exist; an S3RefStore holds no ref values, only its prefix. */
  private readonly known = new Map<string, S3RefStore>()

  /** root: the registry's prefix (the objects live under root/objects/). */
  constructor(root: S3Prefix, private readonly refOptions: S3RefStoreOptions = {}) {
    this.names = root.child('names/')
    this.repos = root.child('repos/')
    this.location = this.repos.location
  }

  async open(name: string, opts?: AbortOptions): Promise<S3RefStore | undefined> {
    throwIfAborted(opts?.signal)
    const cached = this.known.get(name)
    if (cached) return cached
    const exists = await retrying('stat', name, () => this.names.head(name, opts), { signal: opts?.signal })
    return exists ? this.remember(name) : undefined
  }

  async create(name: string, opts?: AbortOptions): Promise<S3RefStore> {
    const existing = await this.open(name, opts)
    if (existing) return existing
    const body = Buffer.from(`${JSON.stringify({ created: Date.now() })}\n`)
    await retrying('create', name, async () => {
      const r = await this.names.putIf(name, body, { ifNoneMatch: '*' }, opts)
      // 'lost' means another replica created it first, which is as good. A 5xx or a dropped
      // connection may hide a PUT that landed: a HEAD settles it, and the attempt is retried if not.
      if (r.outcome === 'unknown' && !(await this.names.head(name, opts))) throw r.error
    }, { signal: opts?.signal })
    return this.remember(name)
  }

  async list(opts?: AbortOptions): Promise<string[]> {
    return retrying('list', 'names/', async () => {
      const out: string[] = []
      for await (const key of this.names.list('', opts)) if (repositoryNameProblem(key) === undefined) out.push(key)
      return out.sort()
    }, { signal: opts?.signal })
  }

  private remember(name: string): S3RefStore {
    let refs = this.known.get(name)
    if (!refs) this.known.set(name, (refs = new S3RefStore(this.repos.child(`${name}/`), { who: DAEMON_WHO, ...this.refOptions })))
    return refs
  }
}
