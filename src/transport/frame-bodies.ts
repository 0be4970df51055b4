/**
 * Packs loose bodies (metadata gathered from many commits for a negotiation answer) into new frames
 * of ~FRAME_TARGET raw bytes, compressed on the FramePool a couple of frames ahead of the writer.
 */
import type { AbortOptions } from '../options.js'
import { throwIfAborted } from '../errors.js'
import { type ObjectId, type ObjectKind, idToBytes } from '../objects/id.js'
import { FRAME_TARGET, type CompressedFrame, type FrameObject } from '../pack/frame.js'
import { ZSTD_LEVEL_DEFAULT } from '../pack/zstd.js'
import type { FramePool } from './frame-pool.js'
import { OBJECTS_PER_FRAME_MAX } from './limits.js'

const AHEAD = 2

export interface FrameBodiesOptions extends AbortOptions {
  pool: FramePool
  level?: number
}

export async function* frameBodies(objects: AsyncIterable<{ id: ObjectId; kind: ObjectKind; body: Buffer }>, o: FrameBodiesOptions): AsyncIterable<CompressedFrame> {
  let bodies: Buffer[] = []
  let table: FrameObject[] = []
  let size = 0
  const ahead: Array<Promise<CompressedFrame>> = []
  const take = (): Promise<CompressedFrame> => {
    const raw = Buffer.concat(bodies)
    const frameObjects = table
    bodies = []
    table = []
    size = 0
    return o.pool.reframe([{ raw, slices: [0, raw.length] }], o.level ?? ZSTD_LEVEL_DEFAULT, 'metadata').then((data) => ({ data, objects: frameObjects }))
  }
  try {
    for await (const obj of objects) {
      throwIfAborted(o.signal)
      bodies.push(obj.body)
      table.push({ id: idToBytes(obj.id), kind: obj.kind, offset: size, length: obj.body.length })
      size += obj.body.length
      if (size >= FRAME_TARGET || table.length >= OBJECTS_PER_FRAME_MAX) {
        ahead.push(take())
        if (ahead.length > AHEAD) yield await ahead.shift()!
      }
    }
    if (table.length) ahead.push(take())
    while (ahead.length) yield await ahead.shift()!
  } finally {
    for (const p of ahead) p.catch(() => {})
  }
}
