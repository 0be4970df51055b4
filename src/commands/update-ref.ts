/**
 * `ankagit update-ref REF NEW [OLD]` and `update-ref -d REF [OLD]`: moves or deletes one ref by
 * compare-and-swap, as git's plumbing does. OLD makes the change conditional: the ref must hold OLD
 * now, and an OLD of 64 zeros (or the empty string) means it must not exist. A NEW of 64 zeros
 * deletes, as in git. Branches (and HEAD) may only hold commits.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { InvalidArgumentError, NotFoundError } from '../errors.js'
import { type RefName, parseRefName } from '../refs/ref-name.js'
import { resolve } from './revision.js'

export const NULL_ID = '0'.repeat(64)

export interface UpdateRefOptions extends AbortOptions {
  repo: Repository
  /** A full ref name ('refs/heads/main') or 'HEAD' (which updates the branch it names). */
  ref: string
  /** A revision for the new value; ignored with delete. */
  newValue?: string
  /** A revision the ref must hold now; NULL_ID or '' = must not exist; undefined = no check. */
  oldValue?: string
  delete?: boolean
  /** Recorded in the reflog. */
  message?: string
}

export interface UpdateRefResult {
  ref: RefName
  /** The value expected (when OLD was given) or read just before the update. */
  old: ObjectId | null
  next: ObjectId | null
}

export async function updateRef(o: UpdateRefOptions): Promise<UpdateRefResult> {
  const { repo } = o
  const ref = parseRefName(o.ref)
  const expect = o.oldValue === undefined ? undefined : isNull(o.oldValue) ? null : await resolve(repo, o.oldValue, o)
  let next: ObjectId | null = null
  if (!o.delete) {
    if (o.newValue === undefined) throw new InvalidArgumentError(`no new value given for ref '${ref}'`)
    if (!isNull(o.newValue)) next = await checkedTarget(repo, ref, await resolve(repo, o.newValue, o), o)
  }
  const old = expect !== undefined ? expect : ((await repo.refs.read(ref, o)) ?? null)
  const update = { name: ref, next, ...(expect !== undefined ? { expect } : {}), ...(o.message !== undefined ? { message: o.message } : {}) }
  await repo.refs.update([update], o)
  return { ref, old, next }
}

function isNull(value: string): boolean {
  return value === '' || value === NULL_ID
}

/** The id, once it is known to exist and to fit the ref (a branch or HEAD takes only a commit). */
async function checkedTarget(repo: Repository, ref: RefName, id: ObjectId, opts: AbortOptions): Promise<ObjectId> {
  await repo.objects.load(opts)
  const loc = repo.objects.locate(id)
  if (!loc && !(await repo.objects.has(id, opts))) throw new NotFoundError(`object ${id} not found`, { id })
  const kind = loc?.entry.kind ?? (await repo.objects.get(id, opts)).kind
  if ((ref === 'HEAD' || ref.startsWith('refs/heads/')) && kind !== 'commit') {
    throw new InvalidArgumentError(`cannot update ref '${ref}': trying to write non-commit object ${id} to a branch`, { ref, id, kind })
  }
  return id
}
