/**
 * Frames: several objects' bodies concatenated and compressed as one zstd frame (FORMAT.md § Frames).
 * Compressing ~2 MiB of consecutive chunks together gave 362 MiB for a real 1.1 GiB ext4 image where
 * per-chunk compression gave 414 MiB and the whole stream 356 MiB; a frame is still small enough to
 * decompress for one chunk, and it travels over the wire as stored, never recompressed.
 */
import type { ObjectKind } from '../objects/id.js'

/** Raw bytes at which a frame is closed. */
export const FRAME_TARGET = 2 << 20

export interface FrameObject {
  id: Buffer
  kind: ObjectKind
  /** Offset and length of the body inside the decompressed frame. */
  offset: number
  length: number
}

export interface RawFrame {
  raw: Buffer
  objects: FrameObject[]
}

export interface CompressedFrame {
  data: Buffer
  objects: FrameObject[]
}

/** Collects bodies into frames of about FRAME_TARGET raw bytes. */
export class FrameBuilder {
  private buf: Buffer
  private len = 0
  private objects: FrameObject[] = []

  /** `alloc` lets a caller recycle frame buffers (the import pipeline gets them back from workers). */
  constructor(
    private readonly target = FRAME_TARGET,
    private readonly alloc: () => Buffer = () => Buffer.allocUnsafe(target),
  ) {
    this.buf = alloc()
  }

  get size(): number {
    return this.len
  }

  /** Appends one body (copied); returns true when the frame has reached its target and should be taken. */
  add(kind: ObjectKind, id: Buffer, body: Uint8Array): boolean {
    if (this.len + body.length > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + body.length))
      this.buf.copy(next, 0, 0, this.len)
      this.buf = next
    }
    this.buf.set(body, this.len)
    this.objects.push({ id: Buffer.from(id), kind, offset: this.len, length: body.length })
    this.len += body.length
    return this.len >= this.target
  }

  /** The frame so far, or undefined when empty; the builder starts a new frame. */
  take(): RawFrame | undefined {
    if (this.objects.length === 0) return undefined
    const frame = { raw: this.buf.subarray(0, this.len), objects: this.objects }
    this.buf = this.alloc()
    this.len = 0
    this.objects = []
    return frame
  }
}
