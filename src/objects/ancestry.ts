/**
 * Fast-forward checks: whether one commit is an ancestor of another, by walking parents from the
 * descendant. Used by the server before it moves a branch, and by clients before they ask it to.
 */
import type { AbortOptions } from '../options.js'
import { NotFoundError, throwIfAborted } from '../errors.js'
import type { ObjectId } from './id.js'
import type { ObjectSource } from './object-store.js'
import { decodeCommit } from './commit.js'

/** True when ancestor is descendant or reachable from it through parents. Objects that are absent
 * or not commits end that path of the walk. */
export async function isAncestor(src: ObjectSource, ancestor: ObjectId, descendant: ObjectId, opts: AbortOptions = {}): Promise<boolean> {
  const seen = new Set<string>()
  const stack = [descendant]
  while (stack.length) {
    throwIfAborted(opts.signal)
    const id = stack.pop()!
    if (id === ancestor) return true
    if (seen.has(id)) continue
    seen.add(id)
    let obj
    try {
      obj = await src.get(id, opts)
    } catch (err) {
      if (err instanceof NotFoundError) continue
      throw err
    }
    if (obj.kind === 'commit') stack.push(...decodeCommit(obj.body, `commit ${id}`).parents)
  }
  return false
}
