/**
 * gc's mark bits: one bit per entry of every loaded pack index, set on the copy of an object that
 * the store would read (IndexTable.find). A million live objects cost 128 KiB here, where a set of
 * their ids would cost ~100 MiB. An object stored twice is marked in one pack only; the other copy
 * counts as dead, which is safe because the marked copy is always kept or carried over.
 */
import type { AbortOptions, ProgressEvent } from '../options.js'
import { NotFoundError } from '../errors.js'
import type { ObjectId, ObjectKind } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import { walkReachable } from '../objects/walk.js'

export class LiveMarks {
  private readonly bits = new Map<string, Uint8Array>()
  private counts = new Map<string, number>()
  private total = 0

  constructor(private readonly store: ObjectStore) {}

  /** Number of objects marked. */
  get size(): number {
    return this.total
  }

  /** Marks the copy the store would read; false when the store holds no copy. */
  mark(id: ObjectId): boolean {
    const loc = this.store.locate(id)
    if (!loc) return false
    let bits = this.bits.get(loc.pack)
    if (!bits) this.bits.set(loc.pack, (bits = new Uint8Array((this.store.packIndex(loc.pack)!.count + 7) >> 3)))
    const mask = 1 << (loc.index & 7)
    if (bits[loc.index >> 3]! & mask) return true
    bits[loc.index >> 3]! |= mask
    this.counts.set(loc.pack, (this.counts.get(loc.pack) ?? 0) + 1)
    this.total++
    return true
  }

  isMarked(id: ObjectId): boolean {
    const loc = this.store.locate(id)
    return loc !== undefined && this.isLive(loc.pack, loc.index)
  }

  /** Whether entry i of the pack's index is marked. */
  isLive(pack: string, i: number): boolean {
    const bits = this.bits.get(pack)
    return bits !== undefined && (bits[i >> 3]! & (1 << (i & 7))) !== 0
  }

  liveCount(pack: string): number {
    return this.counts.get(pack) ?? 0
  }
}

export interface MarkRoot {
  id: ObjectId
  kind: ObjectKind
  /** For the error message when something it reaches is missing. */
  from: string
}

/**
 * Marks everything reachable from roots. Objects already marked are not entered again (their
 * subtrees were marked when they were), so a second call with more roots only walks what is new.
 * A missing object throws NotFoundError: gc must not delete anything when it cannot see the whole graph.
 */
export async function markReachable(
  store: ObjectStore,
  marks: LiveMarks,
  roots: readonly MarkRoot[],
  o: AbortOptions & { onProgress?: (e: ProgressEvent) => void } = {},
): Promise<void> {
  for (const root of roots) {
    if (marks.isMarked(root.id)) continue
    for await (const r of walkReachable(store, [root], { signal: o.signal, stop: (id) => marks.isMarked(id) })) {
      if (!marks.mark(r.id)) {
        throw new NotFoundError(`${r.kind} ${r.id}, reachable from ${root.from}, is missing; run 'ankagit fsck'`, { id: r.id, from: root.from })
      }
      if ((marks.size & 1023) === 0) o.onProgress?.({ phase: 'marking live objects', done: marks.size, unit: 'objects' })
    }
  }
}
