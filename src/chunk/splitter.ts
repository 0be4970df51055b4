/**
 * Splitting one file's bytes, streamed in buffers of any size, into extents: holes (all-zero ranges,
 * never hashed, stored or sent) and data chunks. The result depends only on the file's bytes and the
 * params, never on how the bytes were fed; the golden and property tests in test/unit/chunk pin that.
 *
 * Hole rules (part of the format, docs/chunking.md § What is part of the format):
 * - fixed: every aligned block that is all zero is a hole (the file's last block may be short);
 * - fastcdc: every maximal run of zero bytes at least `min` long is a hole, wherever it starts. Runs
 *   are found before cutting, and the data between two holes is cut with findCut as if it were a
 *   file of its own, so zeros never end up inside max-size chunks that straddle data.
 */
import { InvalidArgumentError } from '../errors.js'
import { type CdcParams, type ChunkerParams, type FixedParams, findCut, validateParams } from './chunker.js'
import { isAllZero, nextZeroRun, zeroRunEnd, zeroRunStart, zeroView } from './zeros.js'

export type Extent =
  | { kind: 'hole'; offset: number; length: number }
  | { kind: 'data'; offset: number; length: number; bytes: Uint8Array }

/**
 * A streaming splitter over one file. Feed consecutive buffers; the extents returned, taken together,
 * cover exactly the bytes fed, in order, with adjacent holes merged (a hole is returned only once its
 * end is known). `bytes` of a data extent is valid until the next call (a view into the buffer passed
 * or a copy for chunks that straddle two buffers); the splitter never keeps a reference to a buffer
 * after push returns, so the caller may reuse it. Memory: the buffers fed, plus a carry of at most
 * 2 * (max + min) bytes (fastcdc) or two blocks (fixed). Calls after end() throw.
 */
export interface Splitter {
  push(buf: Uint8Array): Extent[]
  /**
   * Same as pushing `length` zero bytes, which the caller need not read (a sparse file's holes). Once
   * a hole is open, at most a few hundred KiB into the zeros, the rest costs nothing per byte.
   */
  pushHole(length: number): Extent[]
  end(): Extent[]
}

/**
 * A splitter for a file whose first byte fed is at `startOffset` (default 0); extents carry file
 * offsets. Fixed blocks stay aligned to file offset 0, so a start inside a block makes a short first
 * block; FastCDC treats startOffset as a cut point. Either way the extents equal those of splitting
 * the whole file only when startOffset is a cut point of the whole file (fixed: a multiple of size).
 */
export function createSplitter(params: ChunkerParams, startOffset = 0): Splitter {
  validateParams(params)
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) {
    throw new InvalidArgumentError(`invalid start offset '${startOffset}': must be a non-negative integer`)
  }
  return params.kind === 'fixed' ? new FixedSplitter(params, startOffset) : new CdcSplitter(params, startOffset)
}

/** Pending-hole bookkeeping and the end-of-stream guard, shared by both splitters. */
abstract class SplitterBase implements Splitter {
  protected holeStart = 0
  protected holeLength = 0
  private ended = false

  abstract push(buf: Uint8Array): Extent[]
  abstract pushHole(length: number): Extent[]
  abstract end(): Extent[]

  protected checkOpen(): void {
    if (this.ended) throw new InvalidArgumentError('splitter already ended')
  }

  protected finish(out: Extent[]): Extent[] {
    this.checkOpen()
    this.ended = true
    this.flushHole(out)
    return out
  }

  protected addHole(offset: number, length: number): void {
    if (this.holeLength === 0) this.holeStart = offset
    this.holeLength += length
  }

  protected flushHole(out: Extent[]): void {
    if (this.holeLength === 0) return
    out.push({ kind: 'hole', offset: this.holeStart, length: this.holeLength })
    this.holeLength = 0
  }

  protected addData(out: Extent[], offset: number, bytes: Uint8Array): void {
    this.flushHole(out)
    out.push({ kind: 'data', offset, length: bytes.length, bytes })
  }
}

const EMPTY = new Uint8Array(0)

/** A copy into memory the splitter owns. Not `slice()`: on a Buffer that returns a view. */
function copyOf(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length)
  copy.set(bytes)
  return copy
}

function checkHoleLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidArgumentError(`invalid hole length '${length}': must be a non-negative integer`)
  }
}

/**
 * Aligned fixed-size blocks. Whole blocks inside a buffer are returned as views without copying;
 * only a block that straddles two calls is assembled in a carry buffer. Two carry buffers alternate,
 * so the block returned from one call is not overwritten by the tail that same call keeps.
 */
class FixedSplitter extends SplitterBase {
  private readonly size: number
  private offset: number // file offset of the next byte fed
  private carry: Uint8Array
  private spare: Uint8Array
  private carried = 0

  constructor(params: FixedParams, startOffset: number) {
    super()
    this.size = params.size
    this.offset = startOffset
    this.carry = EMPTY
    this.spare = EMPTY
  }

  /** Bytes still needed to complete the block the next byte falls in. */
  private need(): number {
    return this.size - (this.offset % this.size)
  }

  push(buf: Uint8Array): Extent[] {
    this.checkOpen()
    const out: Extent[] = []
    let p = 0
    if (this.carried > 0 || this.offset % this.size !== 0) p = this.fillCarry(out, buf)
    while (buf.length - p >= this.size) {
      this.addBlock(out, this.offset, buf.subarray(p, p + this.size))
      p += this.size
      this.offset += this.size
    }
    if (p < buf.length) this.fillCarry(out, buf.subarray(p))
    return out
  }

  pushHole(length: number): Extent[] {
    this.checkOpen()
    checkHoleLength(length)
    const out: Extent[] = []
    let left = length
    if (left > 0 && (this.carried > 0 || this.offset % this.size !== 0)) left -= this.fillCarry(out, zeroView(left), left)
    const whole = Math.floor(left / this.size) * this.size
    if (whole > 0) {
      this.addHole(this.offset, whole)
      this.offset += whole
      left -= whole
    }
    if (left > 0) this.fillCarry(out, zeroView(left), left)
    return out
  }

  end(): Extent[] {
    const out: Extent[] = []
    this.checkOpen()
    if (this.carried > 0) this.emitCarry(out)
    return this.finish(out)
  }

  /**
   * Appends the head of src to the carried partial block and returns how many bytes it took; emits the
   * block when complete. `zeros` > 0 means src is a zero view to repeat until that many bytes are taken.
   */
  private fillCarry(out: Extent[], src: Uint8Array, zeros = 0): number {
    if (this.carry.length < this.size) {
      this.carry = new Uint8Array(this.size)
      this.spare = new Uint8Array(this.size)
    }
    const want = Math.min(this.need(), zeros > 0 ? zeros : src.length)
    for (let taken = 0; taken < want;) {
      const n = Math.min(want - taken, src.length)
      this.carry.set(src.subarray(0, n), this.carried)
      this.carried += n
      taken += n
    }
    this.offset += want
    if (this.offset % this.size === 0) this.emitCarry(out)
    return want
  }

  private emitCarry(out: Extent[]): void {
    const block = this.carry.subarray(0, this.carried)
    this.addBlock(out, this.offset - this.carried, block)
    ;[this.carry, this.spare] = [this.spare, this.carry]
    this.carried = 0
  }

  private addBlock(out: Extent[], offset: number, block: Uint8Array): void {
    if (isAllZero(block)) this.addHole(offset, block.length)
    else this.addData(out, offset, block)
  }
}

/**
 * FastCDC over the data between holes. process() emits only decided extents; the undecided rest (an
 * open data chunk shorter than max, plus a trailing zero run shorter than min that may still grow
 * into a hole: less than max + min bytes) waits in a carry buffer. Buffers of at least max + min
 * bytes are processed in place. Smaller ones accumulate in the carry, which is processed once it
 * holds its previous rest plus max + min new bytes (or is full, or the file ends); then the carry is
 * retired, because extents returned from this call may view it.
 */
class CdcSplitter extends SplitterBase {
  private readonly params: CdcParams
  private readonly window: number // max + min: enough bytes to decide at least one extent
  private offset: number // file offset of the first byte not yet emitted (carry[0] when carrying)
  private carry: Uint8Array = EMPTY
  private carried = 0

  constructor(params: CdcParams, startOffset: number) {
    super()
    this.params = params
    this.window = params.max + params.min
    this.offset = startOffset
  }

  push(buf: Uint8Array): Extent[] {
    this.checkOpen()
    const out: Extent[] = []
    this.feed(out, buf, false)
    return out
  }

  pushHole(length: number): Extent[] {
    this.checkOpen()
    checkHoleLength(length)
    const out: Extent[] = []
    let left = length
    // Once a hole is open and nothing is carried the zeros only lengthen it; until then (at most
    // about 2 * window bytes) they are fed like other bytes, from a shared zero view never written to.
    while (left > 0 && !(this.holeLength > 0 && this.carried === 0)) {
      const zeros = zeroView(left)
      this.feed(out, zeros, false)
      left -= zeros.length
    }
    this.holeLength += left
    this.offset += left
    return out
  }

  end(): Extent[] {
    const out: Extent[] = []
    this.checkOpen()
    this.feed(out, EMPTY, true)
    return this.finish(out)
  }

  private feed(out: Extent[], buf: Uint8Array, isLast: boolean): void {
    const cap = 2 * this.window
    let p = 0
    for (;;) {
      if (this.carried === 0) {
        if (this.holeLength > 0) {
          const end = zeroRunEnd(buf, p)
          this.holeLength += end - p
          this.offset += end - p
          p = end
        }
        if (isLast || buf.length - p >= this.window) {
          const view = buf.subarray(p)
          const done = this.process(out, view, isLast)
          this.offset += done
          this.carry = done < view.length ? copyOf(view.subarray(done)) : EMPTY
          this.carried = view.length - done
          return
        }
      }
      const take = Math.min(buf.length - p, this.window, cap - this.carried)
      this.append(buf.subarray(p, p + take), cap)
      p += take
      const last = isLast && p === buf.length
      if (!last && take < this.window && this.carried < cap) return
      const done = this.process(out, this.carry.subarray(0, this.carried), last)
      this.offset += done
      const rest = this.carried - done
      if (rest <= take) {
        // The undecided rest is still in buf: continue from there, in place if it is long enough.
        p -= rest
        this.carry = EMPTY
        this.carried = 0
      } else {
        this.carry = copyOf(this.carry.subarray(done, this.carried))
        this.carried = rest
      }
      if (last) return
    }
  }

  private append(src: Uint8Array, cap: number): void {
    if (this.carry.length < this.carried + src.length) {
      const next = new Uint8Array(cap)
      next.set(this.carry.subarray(0, this.carried))
      this.carry = next
    }
    this.carry.set(src, this.carried)
    this.carried += src.length
  }

  /**
   * Emits the extents of view (whose first byte is at this.offset, a cut point or the end of a hole)
   * that are decided, and returns how many bytes that covers. Left for later: trailing data shorter
   * than max and a trailing zero run shorter than min, so less than max + min bytes.
   */
  private process(out: Extent[], view: Uint8Array, isLast: boolean): number {
    const { min } = this.params
    const n = view.length
    let pos = 0
    for (;;) {
      if (this.holeLength > 0) {
        const end = zeroRunEnd(view, pos, n)
        this.holeLength += end - pos
        pos = end
        if (pos === n) return n
        this.flushHole(out)
      }
      const run = nextZeroRun(view, pos, min)
      if (run === undefined) break
      this.cutData(out, view, pos, run[0], true)
      this.addHole(this.offset + run[0], run[1] - run[0])
      pos = run[1]
    }
    if (isLast) return this.cutData(out, view, pos, n, true)
    return this.cutData(out, view, pos, zeroRunStart(view, n, pos), false)
  }

  /**
   * Cuts view[from, to) into chunks; returns where the rest starts. Unless isEnd, fewer than max bytes
   * are left for later without hashing them: their cut may depend on bytes not yet fed, and would
   * otherwise be hashed twice, now and in the next call.
   */
  private cutData(out: Extent[], view: Uint8Array, from: number, to: number, isEnd: boolean): number {
    let pos = from
    while (pos < to && (isEnd || to - pos >= this.params.max)) {
      const len = findCut(view.subarray(pos, to), this.params, isEnd)
      this.addData(out, this.offset + pos, view.subarray(pos, pos + len))
      pos += len
    }
    return pos
  }
}
