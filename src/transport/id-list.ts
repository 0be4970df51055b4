/**
 * Id lists: the `application/x-ankagit-ids` body (n x 32 raw bytes, PROTOCOL.md § 2) and IdList, an
 * ordered set of raw ids for transfers of up to millions of chunks. A Set of hex strings costs
 * ~120 bytes per id (120 MiB for a 60 GB disk's 1M chunks); IdList costs 32 bytes plus 8 of slots.
 */
import { ProtocolError } from '../errors.js'
import { ID_BYTES, type ObjectId, idFromBytes, idToBytes } from '../objects/id.js'

/** Encodes ids (hex or raw) as one body of concatenated 32-byte ids. */
export function encodeIds(ids: Iterable<ObjectId | Uint8Array>): Buffer {
  const parts: Buffer[] = []
  for (const id of ids) parts.push(typeof id === 'string' ? idToBytes(id) : Buffer.from(id.buffer, id.byteOffset, ID_BYTES))
  return Buffer.concat(parts)
}

/** Checks an id-list body: a whole number of ids, 1..max of them. Returns the body itself. */
export function decodeIds(body: Buffer, max: number, what = 'id list'): Buffer {
  if (body.length === 0) throw new ProtocolError(`${what} is empty`)
  if (body.length % ID_BYTES !== 0) throw new ProtocolError(`${what} is ${body.length} bytes, not a multiple of ${ID_BYTES}`)
  if (body.length / ID_BYTES > max) throw new ProtocolError(`${what} has ${body.length / ID_BYTES} ids, more than ${max}`)
  return body
}

/** The ids of a body as hex ObjectIds. */
export function idsOf(body: Buffer): ObjectId[] {
  const out: ObjectId[] = []
  for (let o = 0; o < body.length; o += ID_BYTES) out.push(idFromBytes(body.subarray(o, o + ID_BYTES)))
  return out
}

/** Distinct ids in insertion order, with O(1) membership (open addressing on the ids' first bytes). */
export class IdList {
  private buf = Buffer.allocUnsafe(ID_BYTES * 64)
  private slots = new Uint32Array(128)
  private n = 0

  get length(): number {
    return this.n
  }

  /** Adds id unless present; true when it was added. */
  add(id: Uint8Array): boolean {
    if (this.n * 2 >= this.slots.length) this.grow()
    const s = this.slotOf(id)
    if (this.slots[s] !== 0) return false
    if ((this.n + 1) * ID_BYTES > this.buf.length) {
      const next = Buffer.allocUnsafe(this.buf.length * 2)
      this.buf.copy(next, 0, 0, this.n * ID_BYTES)
      this.buf = next
    }
    this.buf.set(id.subarray(0, ID_BYTES), this.n * ID_BYTES)
    this.slots[s] = ++this.n
    return true
  }

  has(id: Uint8Array): boolean {
    return this.slots[this.slotOf(id)] !== 0
  }

  /** The i-th id (a view: copy it to keep it past the next add). */
  at(i: number): Buffer {
    return this.buf.subarray(i * ID_BYTES, (i + 1) * ID_BYTES)
  }

  /** Ids [start, end) as one id-list body (a view). */
  range(start: number, end: number): Buffer {
    return this.buf.subarray(start * ID_BYTES, Math.min(end, this.n) * ID_BYTES)
  }

  *[Symbol.iterator](): IterableIterator<Buffer> {
    for (let i = 0; i < this.n; i++) yield this.at(i)
  }

  private slotOf(id: Uint8Array): number {
    const mask = this.slots.length - 1
    for (let s = key(id) & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!
      if (v === 0 || this.buf.compare(id, 0, ID_BYTES, (v - 1) * ID_BYTES, v * ID_BYTES) === 0) return s
    }
  }

  private grow(): void {
    this.slots = new Uint32Array(this.slots.length * 2)
    const mask = this.slots.length - 1
    for (let i = 0; i < this.n; i++) {
      let s = key(this.at(i)) & mask
      while (this.slots[s] !== 0) s = (s + 1) & mask
      this.slots[s] = i + 1
    }
  }
}

// Ids are uniform hashes, so their first four bytes need no mixing.
function key(id: Uint8Array): number {
  return (id[0]! | (id[1]! << 8) | (id[2]! << 16) | (id[3]! << 24)) >>> 0
}
