/**
 * RefStore: where branch, tag and remote-tracking names point, changed only by compare-and-swap
 * (git refs.h reference transactions). Refs are kept apart from the object Backend because only
 * refs need CAS. Implementations: FileRefStore (loose files under lock files, git's layout) and
 * MemoryRefStore (strict, same semantics, for tests). test/suites/ref-store.ts pins the contract.
 *
 * Names are full ref names (see ref-name.ts). Every implementation re-validates names at run time,
 * so a string cast to RefName cannot reach a path. 'HEAD' is the only symbolic ref: it names a
 * branch under refs/heads/, or holds an id (detached). A store that has no HEAD yet reads as
 * { symbolic: 'refs/heads/main' }, the initial branch.
 */
import type { ObjectId } from '../objects/id.js'
import type { AbortOptions } from '../options.js'
import type { RefName } from './ref-name.js'

export const INITIAL_BRANCH = 'refs/heads/main' as RefName

/** What every RefStore implementation accepts when it is made. */
export interface RefStoreOptions {
  /** Recorded in reflogs; default "<user>@<host>". */
  who?: string
  /** Clock for reflog times, ms since the epoch; default Date.now. */
  now?: () => number
}

/** One change in a transaction. */
export interface RefUpdate {
  name: RefName
  /** The new value; null deletes the ref. */
  next: ObjectId | null
  /** Compare-and-swap guard: undefined = don't check, null = the ref must not exist, an id = the ref must hold it now. */
  expect?: ObjectId | null
  /** Recorded in the reflog. */
  message?: string
}

export type HeadValue = { symbolic: RefName } | { id: ObjectId }

/** One change of a ref, as its reflog recorded it. null stands for "did not exist". */
export interface ReflogEntry {
  old: ObjectId | null
  next: ObjectId | null
  /** Who made the change ("user@host" unless the store was told otherwise). */
  who: string
  /** Milliseconds since the Unix epoch. */
  time: number
  message: string
}

export interface RefStore {
  /** The id a ref holds, or undefined when it does not exist. 'HEAD' is followed to its branch
   *  (undefined when that branch does not exist yet). */
  read(name: RefName, opts?: AbortOptions): Promise<ObjectId | undefined>

  /** Every ref under refs/ whose name starts with prefix (a plain string prefix, default all),
   *  sorted by name in byte order, each once. HEAD is not listed. Not a snapshot: a ref changed
   *  during the listing may show its old or new value. */
  list(prefix?: string, opts?: AbortOptions): AsyncIterable<[RefName, ObjectId]>

  /**
   * Applies all updates or none. Before anything changes, every name and id is validated
   * (InvalidArgumentError) and every expect is checked against the current value: the first
   * update, in the order given, whose ref differs throws RefConflictError with
   * data { name, expected, actual }. An update named 'HEAD' applies to the branch HEAD names
   * (or to HEAD itself when detached); deleting through HEAD is refused. Naming a ref twice (also
   * through HEAD), or two names where one is a directory of the other ('refs/heads/a' and
   * 'refs/heads/a/b'), is InvalidArgumentError, and so is creating a name that collides that way
   * with an existing ref. An update whose ref already holds `next` changes and logs nothing.
   * Throws LockedError when another writer holds a lock and does not release it within a short
   * wait; a lock whose owner is provably dead is recovered, never one whose owner may be alive.
   * Each applied change is appended to the ref's reflog, and to HEAD's when it moved the branch
   * HEAD names. Deleting a ref deletes its reflog too, so the name can later become a directory.
   */
  update(updates: readonly RefUpdate[], opts?: AbortOptions): Promise<void>

  /** HEAD: { symbolic: 'refs/heads/<branch>' } or { id } when detached. */
  readHead(opts?: AbortOptions): Promise<HeadValue>

  /** Points HEAD at a branch (which need not exist yet: an unborn branch) or detaches it at an id.
   *  Always appends to HEAD's reflog (old and new resolved ids), like a checkout in git. */
  writeHead(head: HeadValue, opts?: AbortOptions & { message?: string }): Promise<void>

  /** The reflog of a ref, or of 'HEAD', newest first; [] when there is none. */
  reflog(name: RefName | 'HEAD', opts?: AbortOptions): Promise<ReflogEntry[]>

  /** Drops the reflog entries of a ref (or 'HEAD') recorded before `before` (ms since the epoch), as git's
   *  `reflog expire` does, so gc can free what only old entries reach. Returns how many were dropped. An
   *  entry appended while this runs may be lost; the ref itself is never touched. */
  expireReflog(name: RefName | 'HEAD', before: number, opts?: AbortOptions): Promise<number>
}
