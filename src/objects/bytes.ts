/**
 * Byte-level building blocks shared by every binary object encoding (FORMAT.md § Encoding):
 * unsigned LEB128 varints, fixed-width ids, and a reader that refuses truncated, trailing
 * or non-minimal input so that every object has exactly one encoding.
 */
import { CorruptObjectError } from '../errors.js'
import { ID_BYTES, type ObjectId, idFromBytes, idToBytes } from './id.js'

/** Grows as needed; `finish()` returns the bytes written. */
export class ByteWriter {
  private buf = Buffer.allocUnsafe(256)
  private len = 0

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n))
    this.buf.copy(next, 0, 0, this.len)
    this.buf = next
  }

  u8(v: number): this {
    this.reserve(1)
    this.buf[this.len++] = v
    return this
  }

  /** Unsigned LEB128, up to 2^53-1 (file sizes and spans fit). */
  varint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`varint out of range: ${v}`)
    this.reserve(8)
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    this.buf[this.len++] = v
    return this
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length)
    this.buf.set(b, this.len)
    this.len += b.length
    return this
  }

  id(id: ObjectId): this {
    return this.bytes(idToBytes(id))
  }

  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len))
  }
}

/**
 * True when encode() gives back exactly body. Text objects (commits, tags) check this after decoding:
 * invalid UTF-8, a zero-padded number or a name the encoder refuses would otherwise decode to a value
 * whose encoding, and so whose id, differs from the bytes read (found by test/fuzz/objects.test.ts).
 */
export function encodesBackTo(body: Uint8Array, encode: () => Uint8Array): boolean {
  try {
    return Buffer.from(encode()).equals(body)
  } catch {
    return false
  }
}

/** Reads a body front to back; every failure is a CorruptObjectError naming `what`. */
export class ByteReader {
  private pos = 0
  constructor(private readonly buf: Uint8Array, private readonly what: string) {}

  fail(reason: string): never {
    throw new CorruptObjectError(`${this.what} is corrupt: ${reason}`)
  }

  get done(): boolean {
    return this.pos === this.buf.length
  }

  u8(): number {
    if (this.pos >= this.buf.length) this.fail('truncated')
    return this.buf[this.pos++]!
  }

  varint(): number {
    return readVarint(() => this.u8(), (why) => this.fail(why))
  }

  bytes(n: number): Uint8Array {
    if (n > this.buf.length - this.pos) this.fail('truncated')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  id(): ObjectId {
    return idFromBytes(this.bytes(ID_BYTES))
  }

  end(): void {
    if (!this.done) this.fail(`${this.buf.length - this.pos} trailing bytes`)
  }
}

/**
 * An unsigned LEB128 varint, byte by byte from next(): minimal, at most 8 bytes, a safe integer
 * (FORMAT.md § Encoding); anything else goes to fail. Object bodies and frame streams both use it.
 */
export function readVarint(next: () => number, fail: (why: string) => never): number {
  let v = 0
  let scale = 1
  for (let i = 0; ; i++) {
    if (i === 8) fail('varint too long')
    const b = next()
    v += (b & 0x7f) * scale
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) fail('non-minimal varint')
      break
    }
    scale *= 0x80
  }
  if (!Number.isSafeInteger(v)) fail('varint out of range')
  return v
}
