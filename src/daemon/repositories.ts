/**
 * Where a registry keeps its repositories: one RefStore per repository name, on the same medium as
 * the shared object store. Implementations: FileRepositories (a daemon root's repos/ directory),
 * S3Repositories (a bucket prefix, for replicas sharing one bucket) and MemoryRepositories (tests).
 *
 * Repositories are created by their first push and never deleted by the daemon, so an
 * implementation may remember that a name exists; it must never remember what a ref holds
 * (another replica may move it at any time), so every RefStore it hands out reads the medium.
 */
import type { AbortOptions } from '../options.js'
import type { RefStore } from '../refs/ref-store.js'

/** The name every daemon writes into reflogs. */
export const DAEMON_WHO = 'ankagit-daemon'

export interface Repositories {
  /** The refs of an existing repository, or undefined when none has that name. The name is
   *  validated by the caller (repository-name.ts). */
  open(name: string, opts?: AbortOptions): Promise<RefStore | undefined>
  /** Creates the repository (HEAD naming refs/heads/main, no refs) unless it exists, and returns
   *  its refs. Idempotent, and safe when processes on other machines create the same name at once:
   *  all of them end up with the one repository. */
  create(name: string, opts?: AbortOptions): Promise<RefStore>
  /** Every repository name, sorted, each once. */
  list(opts?: AbortOptions): Promise<string[]>
  /** For messages: "local /srv/ankagit/repos", "s3://bucket/prefix/repos/". */
  readonly location: string
}
