/**
 * Worker thread entry for ThreadPool: runs a job (jobs.ts) and posts the reply with its buffers
 * transferred, or the error's code and message so the pool rethrows the same error class.
 */
import { parentPort } from 'node:worker_threads'
import { AnkagitError } from '../errors.js'
import { type Job, runJob } from './jobs.js'

parentPort!.on('message', ({ seq, job }: { seq: number; job: Job }) => {
  try {
    const { reply, transfer } = runJob(job)
    parentPort!.postMessage({ seq, reply }, transfer)
  } catch (err) {
    const code = err instanceof AnkagitError ? err.code : 'EINTERNAL'
    parentPort!.postMessage({ seq, error: { code, message: (err as Error).message } })
  }
})
