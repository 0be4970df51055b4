/**
 * Worker thread entry: hashes batches of chunks and compresses frames, the two CPU-bound steps of a
 * commit, so they run on every core while the main thread reads and decides. Messages are defined in
 * pool.ts; buffers travel as transferred ArrayBuffers, never copied.
 */
import { parentPort } from 'node:worker_threads'
import { hashObjectBytes } from '../objects/id.js'
import { compressFrame } from '../pack/zstd.js'
import type { WorkerRequest, WorkerResponse } from './pool.js'

function handle(req: WorkerRequest): { res: WorkerResponse; transfer: ArrayBuffer[] } {
  if (req.type === 'hash') {
    const data = new Uint8Array(req.buf)
    const ids = new Uint8Array(32 * (req.lengths.length))
    let offset = 0
    req.lengths.forEach((len, i) => {
      ids.set(hashObjectBytes('chunk', data.subarray(offset, offset + len)), i * 32)
      offset += len
    })
    return { res: { seq: req.seq, type: 'hash', ids: ids.buffer, buf: req.buf }, transfer: [ids.buffer, req.buf] }
  }
  const out = compressFrame(new Uint8Array(req.raw, 0, req.length), req.level)
  const exact = out.byteOffset === 0 && out.buffer.byteLength === out.length
  const data = (exact ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.length)) as ArrayBuffer
  return { res: { seq: req.seq, type: 'compress', data, raw: req.raw }, transfer: [data, req.raw] }
}

parentPort!.on('message', (req: WorkerRequest) => {
  try {
    const { res, transfer } = handle(req)
    parentPort!.postMessage(res, transfer)
  } catch (err) {
    parentPort!.postMessage({ seq: req.seq, type: 'error', message: (err as Error).message } satisfies WorkerResponse)
  }
})
