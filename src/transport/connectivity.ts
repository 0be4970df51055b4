/**
 * git's connectivity check, for a push: before a ref moves to a new value, everything reachable from
 * that value must be stored. Objects reachable from the repository's current ref values are complete
 * already (this check ran when those refs moved), so only the delta is walked: its metadata is read
 * (a missing object throws) and every chunk of its file tree leaves is looked up in the index.
 */
import type { AbortOptions } from '../options.js'
import { NotFoundError } from '../errors.js'
import { type ObjectId, idToBytes, shortId } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import { children } from '../objects/walk.js'
import { metadataDelta } from './metadata-delta.js'
import { withStatus } from './wire-error.js'

/** Throws NotFoundError (answered 422) naming the first missing object reachable from tip. */
export async function checkConnectivity(store: ObjectStore, ref: string, tip: ObjectId, haves: readonly ObjectId[], opts: AbortOptions = {}): Promise<void> {
  const missing = (id: string) =>
    withStatus(new NotFoundError(`cannot update '${ref}': object ${id} reachable from ${shortId(tip)} is missing on the server`, { ref, id }), 422)
  try {
    for await (const obj of metadataDelta(store, [tip], haves, opts)) {
      if (obj.kind !== 'file') continue
      for (const c of children('file', obj.body, obj.id)) if (c.kind === 'chunk' && !store.contains(idToBytes(c.id))) throw missing(c.id)
    }
  } catch (err) {
    if (err instanceof NotFoundError && !(err.data.ref === ref)) throw missing(String(err.data.id ?? 'unknown'))
    throw err
  }
}
