/**
 * Pack index files (".idx"): the sorted table that says where each object of one pack lives
 * (FORMAT.md § Packs). Written once with its pack and never changed; verified when read.
 */
import { blake3 } from '../objects/blake3.js'
import { CorruptObjectError } from '../errors.js'
import { ID_BYTES, type ObjectKind, OBJECT_KINDS } from '../objects/id.js'

export const PACK_MAGIC = Buffer.from('AKPK')
export const IDX_MAGIC = Buffer.from('AKIX')
export const PACK_VERSION = 1
export const PACK_HEADER = Buffer.concat([PACK_MAGIC, Buffer.from([0, 0, 0, PACK_VERSION])])
export const IDX_HEADER_BYTES = 16
export const IDX_ENTRY_BYTES = 56
export const IDX_TRAILER_BYTES = 64

/** Where one object lives inside a pack. */
export interface PackEntry {
  id: Buffer
  kind: ObjectKind
  /** Byte offset of the zstd frame holding the object, from the start of the pack file. */
  frameOffset: number
  frameLength: number
  /** Offset and length of the object's body inside the decompressed frame. */
  offset: number
  length: number
}

export function kindCode(kind: ObjectKind): number {
  return OBJECT_KINDS.indexOf(kind)
}

export function kindFromCode(code: number): ObjectKind | undefined {
  return OBJECT_KINDS[code]
}

/** Encodes entries (sorted here by id) with the pack's BLAKE3 in the trailer. */
export function encodePackIndex(entries: PackEntry[], packHash: Buffer): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.id, b.id))
  const buf = Buffer.alloc(IDX_HEADER_BYTES + sorted.length * IDX_ENTRY_BYTES + IDX_TRAILER_BYTES)
  IDX_MAGIC.copy(buf, 0)
  buf.writeUInt32BE(PACK_VERSION, 4)
  buf.writeUInt32BE(sorted.length, 8)
  let o = IDX_HEADER_BYTES
  for (const e of sorted) {
    e.id.copy(buf, o)
    buf[o + 32] = kindCode(e.kind)
    buf.writeUIntBE(e.frameOffset, o + 38, 6)
    buf.writeUInt32BE(e.frameLength, o + 44)
    buf.writeUInt32BE(e.offset, o + 48)
    buf.writeUInt32BE(e.length, o + 52)
    o += IDX_ENTRY_BYTES
  }
  packHash.copy(buf, o)
  blake3(buf.subarray(0, o + 32)).copy(buf, o + 32)
  return buf
}

/**
 * A decoded, verified index. Entries stay in the file's buffer (56 bytes each) and are read on demand,
 * so a large store costs its index bytes and nothing per entry on the JS heap.
 */
export class PackIndex {
  readonly count: number
  readonly packHash: Buffer

  constructor(readonly buf: Buffer, what: string) {
    const fail = (reason: string): never => {
      throw new CorruptObjectError(`${what} is corrupt: ${reason}`)
    }
    if (buf.length < IDX_HEADER_BYTES + IDX_TRAILER_BYTES || !buf.subarray(0, 4).equals(IDX_MAGIC)) fail('not a pack index')
    if (buf.readUInt32BE(4) !== PACK_VERSION) fail('unknown version')
    if (buf.readUInt32BE(12) !== 0) fail('nonzero reserved field')
    this.count = buf.readUInt32BE(8)
    const end = IDX_HEADER_BYTES + this.count * IDX_ENTRY_BYTES
    if (buf.length !== end + IDX_TRAILER_BYTES) fail('wrong length for its entry count')
    if (!blake3(buf.subarray(0, end + 32)).equals(buf.subarray(end + 32))) fail('checksum mismatch')
    this.packHash = Buffer.from(buf.subarray(end, end + 32))
    for (let i = 0; i < this.count; i++) {
      const o = IDX_HEADER_BYTES + i * IDX_ENTRY_BYTES
      if (i > 0 && Buffer.compare(buf.subarray(o - IDX_ENTRY_BYTES, o - IDX_ENTRY_BYTES + ID_BYTES), buf.subarray(o, o + ID_BYTES)) >= 0) fail('entries not sorted')
      if (kindFromCode(buf[o + 32]!) === undefined) fail(`unknown kind code ${buf[o + 32]}`)
      // Bytes 33..37 are always zero (u48 frame offset at 38): one encoding per index (test/fuzz/pack.test.ts).
      if (buf.readUIntBE(o + 33, 5) !== 0) fail('nonzero padding')
    }
  }

  /** Byte offset of entry i's id inside buf. */
  idOffset(i: number): number {
    return IDX_HEADER_BYTES + i * IDX_ENTRY_BYTES
  }

  entry(i: number): PackEntry {
    const o = this.idOffset(i)
    const b = this.buf
    return {
      id: b.subarray(o, o + ID_BYTES),
      kind: kindFromCode(b[o + 32]!)!,
      frameOffset: b.readUIntBE(o + 38, 6),
      frameLength: b.readUInt32BE(o + 44),
      offset: b.readUInt32BE(o + 48),
      length: b.readUInt32BE(o + 52),
    }
  }

  /** Hex ids of the entries whose id starts with the hex digits of prefix. */
  withPrefix(prefix: string): string[] {
    const lowHex = prefix.padEnd(64, '0')
    const low = Buffer.from(lowHex, 'hex')
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const o = this.idOffset(mid)
      if (Buffer.compare(this.buf.subarray(o, o + ID_BYTES), low) < 0) lo = mid + 1
      else hi = mid
    }
    const out: string[] = []
    for (let i = lo; i < this.count; i++) {
      const o = this.idOffset(i)
      const hex = this.buf.toString('hex', o, o + ID_BYTES)
      if (!hex.startsWith(prefix)) break
      out.push(hex)
    }
    return out
  }

  /** Index of the entry with this id, by binary search, or -1. */
  find(id: Uint8Array): number {
    let lo = 0
    let hi = this.count - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const o = this.idOffset(mid)
      const c = Buffer.compare(this.buf.subarray(o, o + ID_BYTES), id)
      if (c === 0) return mid
      if (c < 0) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
}
