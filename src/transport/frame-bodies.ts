/**
 * Packs loose bodies (metadata gathered from many commits for a negotiation answer) into new frames
 * of ~FRAME_TARGET raw bytes, compressed on the FramePool a couple of frames ahead of the writer.
 */
import type { AbortOptions } from '../options.js'
import { throwIfAborted } from '../errors.js'
import { type ObjectId, type ObjectKind, idToBytes } from '../objects/id.js'
import { FRAME_TARGET, type CompressedFrame, type FrameObject } from '../pack/frame.js'
import { ZSTD_LEVEL_DEFAULT } from '../pack/zstd.js'
import type { FramePool } from '../pack/frame-pool.js'
import { OBJECTS_PER_FRAME_MAX } from './limits.js'
import { pipelined } from '../threads/pipelined.js'

const AHEAD = 2

export interface FrameBodiesOptions extends AbortOptions {
  pool: FramePool
  level?: number
}

export function frameBodies(objects: AsyncIterable<{ id: ObjectId; kind: ObjectKind; body: Buffer }>, o: FrameBodiesOptions): AsyncIterable<CompressedFrame> {
  const compress = (f: { raw: Buffer; objects: FrameObject[] }) =>
    o.pool.reframe([{ raw: f.raw, slices: [0, f.raw.length] }], o.level ?? ZSTD_LEVEL_DEFAULT, 'metadata').then((data) => ({ data, objects: f.objects }))
  return pipelined(gather(objects, o), AHEAD, compress)
}

/** Groups bodies into raw frames of ~FRAME_TARGET bytes. */
async function* gather(objects: AsyncIterable<{ id: ObjectId; kind: ObjectKind; body: Buffer }>, o: AbortOptions): AsyncIterable<{ raw: Buffer; objects: FrameObject[] }> {
  let bodies: Buffer[] = []
  let table: FrameObject[] = []
  let size = 0
  for await (const obj of objects) {
    throwIfAborted(o.signal)
    bodies.push(obj.body)
    table.push({ id: idToBytes(obj.id), kind: obj.kind, offset: size, length: obj.body.length })
    size += obj.body.length
    if (size >= FRAME_TARGET || table.length >= OBJECTS_PER_FRAME_MAX) {
      yield { raw: Buffer.concat(bodies), objects: table }
      bodies = []
      table = []
      size = 0
    }
  }
  if (table.length) yield { raw: Buffer.concat(bodies), objects: table }
}
