/**
 * Worker threads for CPU-bound work: hashing and compressing chunks on commit, verifying and
 * re-framing frames in transfers. One pool mechanism and one worker entry (worker.ts) serve every
 * kind of job (jobs.ts); WorkerPool (chunk/pool.ts) and FramePool (pack/frame-pool.ts) are the
 * typed faces commands use. Threads start on first use (a thread takes ~40-150 ms to load), are
 * unreferenced while idle so they never keep a process alive, and close() ends them.
 * Buffers cross as transferred ArrayBuffers: copying them cost ~1 s of main-thread time per GB.
 */
import type * as WorkerThreads from 'node:worker_threads'
import type { Worker } from 'node:worker_threads'
import * as os from 'node:os'
import { fileURLToPath } from 'node:url'
import { AnkagitError, CorruptObjectError, type ErrorCode } from '../errors.js'
import type { Job, JobReply } from './jobs.js'
import { lazyRequire } from '../lazy-require.js'

// Loaded when the first thread starts: node:worker_threads brings Node's net and stream modules
// (~3 ms), which a command that starts no thread (a commit with nothing to do) need not load.
const workerThreads = lazyRequire<typeof WorkerThreads>('node:worker_threads')

interface Thread {
  worker: Worker
  busy: number
}

type Settled = { resolve: (reply: JobReply) => void; reject: (err: Error) => void; thread: Thread; done: Promise<unknown> }

export class ThreadPool {
  private list: Thread[] = []
  private seq = 0
  private readonly waiting = new Map<number, Settled>()

  /** threads: how many to start on first use; 0 runs jobs inline on the calling thread (tests). */
  constructor(readonly threads = Math.min(4, os.availableParallelism())) {}

  /** Starts the threads now, so their start-up overlaps other work (a request on the wire). */
  warm(): void {
    if (this.threads > 0 && this.list.length === 0) this.start()
  }

  /** Runs one job; the buffers in `transfer` move to the worker and must not be used afterwards. */
  async run(job: Job, transfer: ArrayBuffer[] = []): Promise<JobReply> {
    // Inline (tests): the job code loads here; with threads it loads in the workers only.
    if (this.threads === 0) return (await import('./jobs.js')).runJob(job).reply
    this.warm()
    const thread = this.list.reduce((a, b) => (b.busy < a.busy ? b : a))
    const seq = ++this.seq
    thread.busy++
    thread.worker.ref()
    let settled!: Omit<Settled, 'done'>
    const done = new Promise<JobReply>((resolve, reject) => (settled = { resolve, reject, thread }))
    this.waiting.set(seq, { ...settled, done: done.catch(() => {}) })
    try {
      thread.worker.postMessage({ seq, job }, transfer)
    } catch (err) {
      // Not sent (a buffer that cannot be transferred): nothing will answer it.
      this.waiting.delete(seq)
      if (--thread.busy === 0) thread.worker.unref()
      throw err
    }
    return done
  }

  async close(): Promise<void> {
    const threads = this.list
    this.list = []
    // Jobs still running (look-ahead of a transfer that stopped early) finish first: terminating a thread
    // in the middle of a job sometimes never completed, and close() then never returned
    // (fetch-pack.test.js "exiting early", 1 run in 10 under load). Jobs are bounded CPU work, ms each.
    await Promise.allSettled([...this.waiting.values()].map((w) => w.done))
    await Promise.all(
      threads.map((t) => {
        t.worker.ref() // until it has exited, so the event loop waits for it
        return t.worker.terminate()
      }),
    )
  }

  private start(): void {
    const { Worker } = workerThreads()
    const file = fileURLToPath(new URL('./worker.js', import.meta.url))
    for (let i = 0; i < this.threads; i++) {
      const thread: Thread = { worker: new Worker(file), busy: 0 }
      thread.worker.on('message', (m: { seq: number; reply?: JobReply; error?: { code: string; message: string } }) => this.settle(m))
      thread.worker.on('error', (err) => this.fail(thread, err))
      thread.worker.unref()
      this.list.push(thread)
    }
  }

  private settle(m: { seq: number; reply?: JobReply; error?: { code: string; message: string } }): void {
    const w = this.waiting.get(m.seq)
    if (!w) return
    this.waiting.delete(m.seq)
    if (--w.thread.busy === 0) w.thread.worker.unref()
    if (m.reply) return w.resolve(m.reply)
    const { code, message } = m.error!
    // The worker's error crosses as code and message; the same class is thrown here.
    if (code === 'ECORRUPT') w.reject(new CorruptObjectError(message))
    else if (code.startsWith('E') && code !== 'EINTERNAL') w.reject(new AnkagitError(code as ErrorCode, message))
    else w.reject(new Error(`worker failed: ${message}`))
  }

  private fail(thread: Thread, err: Error): void {
    for (const [seq, w] of this.waiting) {
      if (w.thread !== thread) continue
      this.waiting.delete(seq)
      w.reject(err)
    }
    this.list = this.list.filter((t) => t !== thread)
  }
}

/** b itself when it owns its whole ArrayBuffer (so it can be transferred), else a copy that does. */
export function owned(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b : new Uint8Array(b)
}
