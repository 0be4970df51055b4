/**
 * The worker jobs of a commit: BLAKE3 ids of a batch of chunks, and zstd compression of a frame.
 * Buffers go back to the caller for reuse (the import pipeline recycles them).
 */
import { hashObjectBytes } from '../objects/id.js'
import { compressFrame } from '../pack/zstd.js'

export type ChunkJob =
  | { type: 'hash'; buf: ArrayBuffer; lengths: number[] }
  | { type: 'compress'; raw: ArrayBuffer; length: number; level: number }

export type ChunkJobReply =
  | { type: 'hash'; ids: ArrayBuffer; buf: ArrayBuffer }
  | { type: 'compress'; data: ArrayBuffer; raw: ArrayBuffer }

export function runChunkJob(job: ChunkJob): { reply: ChunkJobReply; transfer: ArrayBuffer[] } {
  if (job.type === 'hash') {
    const data = new Uint8Array(job.buf)
    const ids = new Uint8Array(32 * job.lengths.length)
    let offset = 0
    job.lengths.forEach((len, i) => {
      ids.set(hashObjectBytes('chunk', data.subarray(offset, offset + len)), i * 32)
      offset += len
    })
    return { reply: { type: 'hash', ids: ids.buffer, buf: job.buf }, transfer: [ids.buffer, job.buf] }
  }
  const out = compressFrame(new Uint8Array(job.raw, 0, job.length), job.level)
  const exact = out.byteOffset === 0 && out.buffer.byteLength === out.length
  const data = (exact ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.length)) as ArrayBuffer
  return { reply: { type: 'compress', data, raw: job.raw }, transfer: [data, job.raw] }
}
