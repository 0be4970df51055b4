/**
 * Worker thread entry for FramePool: runs verify and reframe jobs (frame-job.ts) and answers with
 * the result, or the error's code and message so the main thread rethrows the same error class.
 * Buffers go back transferred: the result, and the frame the main thread lent for verification.
 */
import { parentPort } from 'node:worker_threads'
import { AnkagitError } from '../errors.js'
import { type FrameJob, type FrameJobReply, runFrameJob } from './frame-job.js'

parentPort!.on('message', ({ seq, job }: { seq: number; job: FrameJob }) => {
  let reply: FrameJobReply
  try {
    const { out } = runFrameJob(job)
    reply = { seq, ok: true, ...(out ? { out } : {}), ...(job.type === 'verify' ? { data: job.data } : {}) }
  } catch (err) {
    reply = { seq, ok: false, code: err instanceof AnkagitError ? err.code : 'EINTERNAL', message: (err as Error).message }
  }
  const transfer: ArrayBuffer[] = []
  if (reply.ok) {
    for (const b of [reply.out, reply.data]) if (b && whole(b) && !transfer.includes(b.buffer as ArrayBuffer)) transfer.push(b.buffer as ArrayBuffer)
  }
  parentPort!.postMessage(reply, transfer)
})

/** Only a buffer that owns its whole ArrayBuffer may be transferred (never a slice of a shared pool). */
function whole(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength
}
