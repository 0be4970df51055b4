/**
 * Worker thread entry for FramePool: runs verify and reframe jobs (frame-pool.ts) and answers with
 * the result or the error's code and message, so the main thread rethrows the same error class.
 */
import { parentPort } from 'node:worker_threads'
import { AnkagitError } from '../errors.js'
import { type FrameJob, type FrameJobReply, runFrameJob } from './frame-pool.js'

parentPort!.on('message', ({ seq, job }: { seq: number; job: FrameJob }) => {
  let reply: FrameJobReply
  try {
    if (job.type === 'verify') job = { ...job, objects: job.objects.map((o) => ({ ...o, id: Buffer.from(o.id) })) }
    const out = runFrameJob(job)
    reply = out ? { seq, ok: true, out } : { seq, ok: true }
  } catch (err) {
    const code = err instanceof AnkagitError ? err.code : 'EINTERNAL'
    reply = { seq, ok: false, code, message: (err as Error).message }
  }
  const transfer = reply.ok && reply.out && reply.out.byteOffset === 0 && reply.out.byteLength === reply.out.buffer.byteLength ? [reply.out.buffer as ArrayBuffer] : []
  parentPort!.postMessage(reply, transfer)
})
