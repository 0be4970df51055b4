/**
 * One lookup table over every loaded pack index: id -> (pack, entry). An open-addressing hash
 * table of 32-bit slots keyed by the id's first four bytes (ids are uniform, so no mixing is needed);
 * each slot holds a global entry number and the full id is confirmed in the pack index buffer.
 * Cost: the idx bytes (56 per object) plus ~8 bytes of slots per object, and O(1) per lookup however
 * many packs there are.
 */
import { ID_BYTES } from '../objects/id.js'
import type { PackEntry, PackIndex } from './pack-index.js'

interface LoadedPack {
  name: string
  index: PackIndex
  /** Global number of this pack's entry 0. */
  base: number
}

export interface Located {
  pack: string
  entry: PackEntry
  /** The entry's number in its pack index (0..count-1), for per-pack marks such as gc's. */
  index: number
}

export class IndexTable {
  private packs: LoadedPack[] = []
  private byName = new Map<string, LoadedPack>()
  private slots = new Uint32Array(1024)
  private used = 0
  private nextBase = 0

  get objectCount(): number {
    return this.used
  }

  hasPack(name: string): boolean {
    return this.byName.has(name)
  }

  packNames(): string[] {
    return this.packs.map((p) => p.name)
  }

  packIndex(name: string): PackIndex | undefined {
    return this.byName.get(name)?.index
  }

  add(name: string, index: PackIndex): void {
    if (this.byName.has(name)) return
    const pack: LoadedPack = { name, index, base: this.nextBase }
    this.packs.push(pack)
    this.byName.set(name, pack)
    this.nextBase += index.count
    this.reserve(this.used + index.count)
    for (let i = 0; i < index.count; i++) this.insert(pack, i)
  }

  /** Forgets packs (after gc deleted them) and rebuilds the slots. */
  remove(names: Iterable<string>): void {
    const gone = new Set(names)
    const keep = this.packs.filter((p) => !gone.has(p.name))
    this.packs = []
    this.byName.clear()
    this.slots = new Uint32Array(1024)
    this.used = 0
    this.nextBase = 0
    for (const p of keep) this.add(p.name, p.index)
  }

  find(id: Uint8Array): Located | undefined {
    const mask = this.slots.length - 1
    for (let s = key(id) & mask; ; s = (s + 1) & mask) {
      const g = this.slots[s]!
      if (g === 0) return undefined
      const { pack, i } = this.locate(g - 1)
      if (sameId(pack.index, i, id)) return { pack: pack.name, entry: pack.index.entry(i), index: i }
    }
  }

  has(id: Uint8Array): boolean {
    return this.find(id) !== undefined
  }

  private insert(pack: LoadedPack, i: number): void {
    const id = pack.index.buf.subarray(pack.index.idOffset(i), pack.index.idOffset(i) + ID_BYTES)
    const mask = this.slots.length - 1
    for (let s = key(id) & mask; ; s = (s + 1) & mask) {
      const g = this.slots[s]!
      if (g === 0) {
        this.slots[s] = pack.base + i + 1
        this.used++
        return
      }
      const other = this.locate(g - 1)
      if (sameId(other.pack.index, other.i, id)) return // already held by an earlier pack
    }
  }

  private reserve(count: number): void {
    if (count * 2 <= this.slots.length) return
    let size = this.slots.length
    while (count * 2 > size) size *= 2
    const old = this.slots
    this.slots = new Uint32Array(size)
    const mask = size - 1
    for (const g of old) {
      if (g === 0) continue
      const { pack, i } = this.locate(g - 1)
      const o = pack.index.idOffset(i)
      let s = key(pack.index.buf.subarray(o, o + 4)) & mask
      while (this.slots[s] !== 0) s = (s + 1) & mask
      this.slots[s] = g
    }
  }

  private locate(g: number): { pack: LoadedPack; i: number } {
    let lo = 0
    let hi = this.packs.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (this.packs[mid]!.base <= g) lo = mid
      else hi = mid - 1
    }
    const pack = this.packs[lo]!
    return { pack, i: g - pack.base }
  }
}

function key(id: Uint8Array): number {
  return (id[0]! | (id[1]! << 8) | (id[2]! << 16) | (id[3]! << 24)) >>> 0
}

function sameId(index: PackIndex, i: number, id: Uint8Array): boolean {
  const o = index.idOffset(i)
  return index.buf.compare(id, 0, ID_BYTES, o, o + ID_BYTES) === 0
}
