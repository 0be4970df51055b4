/**
 * Which objects each stored frame holds. A pack index is sorted by id, so the objects of one frame
 * are found by one pass over the index, grouped by frame offset; senders keep the maps of the last
 * few packs they touched (a pack holds ~16 frames of ~32 chunks each).
 */
import type { ObjectStore } from '../objects/object-store.js'
import type { FrameObject } from '../pack/frame.js'

export class FrameMaps {
  private readonly maps = new Map<string, Map<number, FrameObject[]>>()

  constructor(private readonly store: ObjectStore, private readonly capacity = 32) {}

  /** The objects of the frame at frameOffset in pack, by ascending offset; undefined if unknown. */
  objectsOf(pack: string, frameOffset: number): FrameObject[] | undefined {
    let map = this.maps.get(pack)
    if (map) {
      this.maps.delete(pack)
      this.maps.set(pack, map)
    } else {
      const index = this.store.packIndex(pack)
      if (!index) return undefined
      map = new Map()
      for (let i = 0; i < index.count; i++) {
        const e = index.entry(i)
        let list = map.get(e.frameOffset)
        if (!list) map.set(e.frameOffset, (list = []))
        list.push({ id: e.id, kind: e.kind, offset: e.offset, length: e.length })
      }
      for (const list of map.values()) list.sort((a, b) => a.offset - b.offset)
      this.maps.set(pack, map)
      if (this.maps.size > this.capacity) this.maps.delete(this.maps.keys().next().value!)
    }
    return map.get(frameOffset)
  }
}
