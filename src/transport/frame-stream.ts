/**
 * Frame streams (PROTOCOL.md § 3): the binary body that carries objects, as zstd frames each preceded
 * by its object table, closed by an END record with the stream's totals so a truncated body is told
 * apart from a finished one. This module writes them; frame-stream-reader.ts reads them.
 */
import { ByteWriter } from '../objects/bytes.js'
import type { FrameObject } from '../pack/frame.js'
import { kindCode } from '../pack/pack-index.js'

export const STREAM_MAGIC = Buffer.from('AKFS', 'latin1')
export const STREAM_VERSION = 1
export const RECORD_HEADER = 0x01
export const RECORD_FRAME = 0x02
export const RECORD_END = 0x03
export const RECORD_ERROR = 0x04

/** What an END record repeats, and what a reader checks it against. */
export interface StreamTotals {
  frames: number
  objects: number
  /** Sum of the listed objects' sizes. */
  rawBytes: number
  /** Sum of the zstd frames' lengths. */
  frameBytes: number
}

export function emptyTotals(): StreamTotals {
  return { frames: 0, objects: 0, rawBytes: 0, frameBytes: 0 }
}

export function encodeStreamStart(): Buffer {
  return Buffer.concat([STREAM_MAGIC, Buffer.from([STREAM_VERSION])])
}

export function encodeHeaderRecord(value: Record<string, unknown>): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8')
  return new ByteWriter().u8(RECORD_HEADER).varint(json.length).bytes(json).finish()
}

/** A FRAME record up to (not including) the frame's bytes; the caller writes those next. */
export function encodeFrameRecordHead(objects: readonly FrameObject[], frameLength: number): Buffer {
  const w = new ByteWriter().u8(RECORD_FRAME).varint(objects.length)
  for (const o of objects) w.u8(kindCode(o.kind)).bytes(o.id).varint(o.offset).varint(o.length)
  return w.varint(frameLength).finish()
}

export function encodeEndRecord(t: StreamTotals): Buffer {
  return new ByteWriter().u8(RECORD_END).varint(t.frames).varint(t.objects).varint(t.rawBytes).varint(t.frameBytes).finish()
}

/** The last record of a stream the sender could not finish; body is PROTOCOL.md's error body. */
export function encodeErrorRecord(body: Record<string, unknown>): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8')
  return new ByteWriter().u8(RECORD_ERROR).varint(json.length).bytes(json).finish()
}

/**
 * Turns frames into the bytes of one stream and keeps its totals. Every method returns the buffers
 * to write, in order; nothing is copied but the small record heads.
 */
export class FrameStreamWriter {
  readonly totals = emptyTotals()
  private state: 'new' | 'open' | 'closed' = 'new'

  /** The stream's first bytes, with an optional HEADER record. */
  start(header?: Record<string, unknown>): Buffer[] {
    if (this.state !== 'new') throw new Error('frame stream already started')
    this.state = 'open'
    return header ? [encodeStreamStart(), encodeHeaderRecord(header)] : [encodeStreamStart()]
  }

  frame(data: Buffer, objects: readonly FrameObject[]): Buffer[] {
    return [this.frameHead(objects, data.length), data]
  }

  /** A FRAME record's head alone, counted as if its frame followed (dry runs measure with this). */
  frameHead(objects: readonly FrameObject[], frameLength: number): Buffer {
    if (this.state !== 'open') throw new Error('frame stream not open')
    this.totals.frames++
    this.totals.objects += objects.length
    for (const o of objects) this.totals.rawBytes += o.length
    this.totals.frameBytes += frameLength
    return encodeFrameRecordHead(objects, frameLength)
  }

  end(): Buffer[] {
    if (this.state !== 'open') throw new Error('frame stream not open')
    this.state = 'closed'
    return [encodeEndRecord(this.totals)]
  }

  error(body: Record<string, unknown>): Buffer[] {
    const start = this.state === 'new' ? [encodeStreamStart()] : []
    this.state = 'closed'
    return [...start, encodeErrorRecord(body)]
  }
}
