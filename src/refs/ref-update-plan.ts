/**
 * The part of a ref transaction that does not depend on where refs live: validating every name
 * and id before anything is touched, resolving updates named 'HEAD', refusing duplicates and
 * directory/file collisions, and the compare-and-swap check. Both RefStores share it, so they
 * cannot drift apart on what the RefStore contract allows.
 */
import { InvalidArgumentError, RefConflictError } from '../errors.js'
import { type ObjectId, isObjectId, shortId } from '../objects/id.js'
import { type RefName, parseRefName, quoteRefName } from './ref-name.js'
import type { HeadValue, RefUpdate } from './ref-store.js'

export interface PlannedUpdate {
  /** The ref that changes: the caller's name, or the branch HEAD names when the caller said 'HEAD'. */
  name: RefName
  /** The name as the caller gave it, for messages. */
  given: RefName
  next: ObjectId | null
  expect: ObjectId | null | undefined
  message: string
  /** The change is also appended to HEAD's reflog (HEAD names this branch). */
  logHead: boolean
  /** Position in the caller's list: expects are checked in that order. */
  index: number
}

/** Validates names and ids without needing HEAD; throws InvalidArgumentError on the first bad one. */
export function validateUpdates(updates: readonly RefUpdate[]): void {
  if (!Array.isArray(updates)) throw new InvalidArgumentError('ref updates must be a list')
  for (const u of updates) {
    const name = parseRefName(u?.name)
    if (u.next !== null && !isIdString(u.next)) {
      throw new InvalidArgumentError(`invalid update of ${quoteRefName(name)}: new value ${quoteValue(u.next)} is not an object id`, { name })
    }
    if (u.expect !== undefined && u.expect !== null && !isIdString(u.expect)) {
      throw new InvalidArgumentError(`invalid update of ${quoteRefName(name)}: expected value ${quoteValue(u.expect)} is not an object id`, { name })
    }
    if (u.message !== undefined && typeof u.message !== 'string') {
      throw new InvalidArgumentError(`invalid update of ${quoteRefName(name)}: message is not a string`, { name })
    }
  }
}

/** Checks a value for HEAD: a branch under refs/heads/, or an object id. */
export function checkHeadValue(head: HeadValue): void {
  if (head !== null && typeof head === 'object' && 'symbolic' in head) {
    const name = parseRefName(head.symbolic)
    if (!name.startsWith('refs/heads/')) throw new InvalidArgumentError(`cannot point HEAD at ${quoteRefName(name)}: not a branch under 'refs/heads/'`, { name })
    return
  }
  if (head === null || typeof head !== 'object' || !isIdString((head as { id?: unknown }).id)) {
    throw new InvalidArgumentError('HEAD must be { symbolic: <branch> } or { id: <object id> }')
  }
}

/** Resolves HEAD and checks the batch as a whole. Returns the updates sorted by the ref they change,
 *  the order in which a store takes its locks. Call validateUpdates first. */
export function planRefUpdates(updates: readonly RefUpdate[], head: HeadValue): PlannedUpdate[] {
  const planned: PlannedUpdate[] = updates.map((u, index) => {
    const given = u.name
    let name = given
    if (given === 'HEAD') {
      if (u.next === null) throw new InvalidArgumentError("cannot delete 'HEAD'", { name: given })
      if ('symbolic' in head) name = head.symbolic
    }
    const logHead = 'symbolic' in head && name === head.symbolic
    return { name, given, next: u.next, expect: u.expect, message: u.message ?? '', logHead, index }
  })
  const byName = new Map<string, PlannedUpdate>()
  for (const p of planned) {
    const twin = byName.get(p.name)
    if (twin) {
      const via = [twin, p].some((x) => x.given !== x.name) ? " (one of them through 'HEAD')" : ''
      throw new InvalidArgumentError(`ref ${quoteRefName(p.name)} is updated twice in one transaction${via}`, { name: p.name })
    }
    byName.set(p.name, p)
  }
  for (const p of planned) {
    const above = enclosingName(p.name, (prefix) => byName.has(prefix))
    if (above !== undefined) {
      throw new InvalidArgumentError(
        `refs ${quoteRefName(above)} and ${quoteRefName(p.name)} cannot both change in one transaction: one is a directory of the other`,
        { name: p.name, conflictsWith: above },
      )
    }
  }
  return planned.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The first proper prefix of name, at a '/' boundary below 'refs/', for which has() is true. */
export function enclosingName(name: string, has: (prefix: string) => boolean): string | undefined {
  for (let i = name.indexOf('/', 'refs/'.length); i > 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i)
    if (has(prefix)) return prefix
  }
  return undefined
}

/** Checks every expect in the caller's order against current values (keyed by planned name). */
export function checkAllExpected(plan: readonly PlannedUpdate[], current: ReadonlyMap<string, ObjectId | undefined>): void {
  for (const p of [...plan].sort((a, b) => a.index - b.index)) checkExpected(p, current.get(p.name))
}

/** Throws RefConflictError when the ref's current value is not what the update expects. */
export function checkExpected(p: PlannedUpdate, actual: ObjectId | undefined): void {
  if (p.expect === undefined) return
  const have = actual ?? null
  if (have === p.expect) return
  const want = p.expect === null ? 'nothing' : shortId(p.expect)
  const found = have === null ? 'nothing' : shortId(have)
  throw new RefConflictError(`ref ${quoteRefName(p.name)} changed: expected ${want}, found ${found}`, {
    name: p.name,
    expected: p.expect,
    actual: have,
  })
}

function isIdString(v: unknown): v is ObjectId {
  return typeof v === 'string' && isObjectId(v)
}

function quoteValue(v: unknown): string {
  return typeof v === 'string' ? quoteRefName(v) : String(v)
}
