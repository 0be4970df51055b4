/**
 * Verification of a received frame (PROTOCOL.md § 3): one zstd frame that decompresses to exactly
 * the size its header states (at most FRAME_RAW_MAX, so a bomb is refused when the decompressor
 * reaches that size), covering every listed object; each object's bytes hash to its id with its kind;
 * metadata objects decode. Runs on a worker thread through FramePool, or inline.
 */
import { CorruptObjectError } from '../errors.js'
import { hashObjectBytes, idFromBytes } from '../objects/id.js'
import { children } from '../objects/walk.js'
import type { FrameObject } from './frame.js'
import { decompressFrame } from './zstd.js'

/** Throws CorruptObjectError unless every object checks out. Returns the decompressed frame: with keep,
 * in `into` when it is large enough, else in a buffer of its own; without keep, this thread's scratch
 * buffer (valid until the next verification). */
export function verifyFrame(data: Uint8Array, objects: readonly FrameObject[], what: string, keep = false, into?: Uint8Array): Buffer {
  const raw = keep ? decompressFrame(data, what, { into }) : decompressFrame(data, what, { scratch: true })
  const last = objects.at(-1)
  if (last && last.offset + last.length > raw.length) {
    throw new CorruptObjectError(`${what} is corrupt: its objects need ${last.offset + last.length} bytes, the frame holds ${raw.length}`)
  }
  for (const o of objects) {
    const body = raw.subarray(o.offset, o.offset + o.length)
    const actual = hashObjectBytes(o.kind, body)
    if (!actual.equals(o.id)) {
      const id = idFromBytes(o.id)
      throw new CorruptObjectError(`object ${id} in ${what} is corrupt: its bytes hash to ${actual.toString('hex')}`, { id })
    }
    if (o.kind !== 'chunk') children(o.kind, body, idFromBytes(o.id))
  }
  return raw
}
