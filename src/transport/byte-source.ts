/**
 * Exact reads over an async byte source (an HTTP body), for the frame stream reader. Running out early
 * is a truncation, and every bad value is a ProtocolError naming the stream.
 *
 * The async reads wait for bytes; the ...Now reads take bytes already buffered (after fill), so a
 * frame's object table is parsed without a promise or a view per byte: reading it byte by byte made
 * 130 of the 250 MB a clone of 690 MiB allocated on the main thread, and grew the young generation
 * (peak RSS) with it.
 */
import { ProtocolError } from '../errors.js'
import { readVarint } from '../objects/bytes.js'

/** The longest varint readVarint accepts: 8 bytes of 7 bits reach past 2^53, and values must be safe integers. */
export const VARINT_MAX_BYTES = 8

export class ByteSource {
  /** Buffered bytes: chunks[0] from pos, then the rest whole. */
  private chunks: Buffer[] = []
  private pos = 0
  private have = 0
  private done = false

  constructor(private readonly it: AsyncIterator<Uint8Array>, private readonly what: string) {}

  malformed(reason: string): never {
    throw new ProtocolError(`${this.what} is malformed: ${reason}`)
  }

  /** Bytes buffered and not yet read. */
  get buffered(): number {
    return this.have
  }

  /**
   * Buffers at least n bytes unless the stream ends first; true when they are there. Asking for more
   * than the next record needs only waits for more of the body, which the peer sends whole.
   */
  async fill(n: number): Promise<boolean> {
    while (this.have < n && !this.done) {
      const r = await this.it.next()
      if (r.done) this.done = true
      else if (r.value.length > 0) {
        this.chunks.push(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length))
        this.have += r.value.length
      }
    }
    return this.have >= n
  }

  async take(n: number): Promise<Buffer> {
    if (this.have < n) await this.fill(n)
    return this.takeNow(n)
  }

  async u8(): Promise<number> {
    if (this.have < 1) await this.fill(1)
    return this.u8Now()
  }

  async varint(): Promise<number> {
    if (this.have < VARINT_MAX_BYTES) await this.fill(VARINT_MAX_BYTES)
    return this.varintNow()
  }

  /** A length prefix, refused above max before anything is read or allocated. */
  async length(max: number, what: string): Promise<number> {
    const n = await this.varint()
    if (n > max) this.malformed(`${what} of ${n} bytes, more than ${max}`)
    return n
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill(1))
  }

  /** n buffered bytes: a view when they lie in one received chunk, else a copy. */
  takeNow(n: number): Buffer {
    if (this.have < n) throw new ProtocolError(`${this.what} is truncated`)
    this.have -= n
    const head = this.chunks[0]!
    if (head.length - this.pos >= n) {
      const out = head.subarray(this.pos, this.pos + n)
      this.advance(n)
      return out
    }
    const out = Buffer.allocUnsafe(n)
    for (let filled = 0; filled < n; ) {
      const c = this.chunks[0]!
      const part = Math.min(c.length - this.pos, n - filled)
      c.copy(out, filled, this.pos, this.pos + part)
      filled += part
      this.advance(part)
    }
    return out
  }

  u8Now(): number {
    if (this.have < 1) throw new ProtocolError(`${this.what} is truncated`)
    this.have--
    const b = this.chunks[0]![this.pos]!
    this.advance(1)
    return b
  }

  /** An unsigned LEB128 varint (objects/bytes.ts readVarint), from buffered bytes. */
  varintNow(): number {
    return readVarint(() => this.u8Now(), (why) => this.malformed(why))
  }

  /** Moves the read position n bytes on within chunks[0], dropping it once it is used up. */
  private advance(n: number): void {
    this.pos += n
    if (this.pos === this.chunks[0]!.length) {
      this.chunks.shift()
      this.pos = 0
    }
  }
}
