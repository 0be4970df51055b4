/**
 * Worker threads for the CPU-heavy steps of a transfer: verifying received frames (decompress and
 * hash) and re-framing partly wanted frames (decompress and recompress). Verifying a 2 MiB frame
 * takes ~3 ms and re-framing one ~10 ms of one core; done on the event loop, a daemon receiving at
 * link speed would answer nothing else (measurements in the transport report). threads = 0 runs the
 * same code inline, for tests and one-off tools.
 */
import { Worker } from 'node:worker_threads'
import * as os from 'node:os'
import { fileURLToPath } from 'node:url'
import { AnkagitError, CorruptObjectError } from '../errors.js'
import type { FrameObject } from '../pack/frame.js'
import { verifyFrame } from './verify-frame.js'
import { type ReframeSource, reframe } from './reframe.js'

export type FrameJob =
  | { type: 'verify'; data: Uint8Array; objects: readonly FrameObject[]; what: string; keepRaw: boolean }
  | { type: 'reframe'; sources: readonly ReframeSource[]; level: number; what: string }

export type FrameJobReply = { seq: number; ok: true; out?: Uint8Array } | { seq: number; ok: false; code: string; message: string }

/** Runs one job where it is called (the worker does the same). */
export function runFrameJob(job: FrameJob): Uint8Array | undefined {
  if (job.type === 'verify') {
    const raw = verifyFrame(job.data, job.objects, job.what)
    return job.keepRaw ? raw : undefined
  }
  return reframe(job.sources, job.level, job.what)
}

interface Thread {
  worker: Worker
  busy: number
}

export class FramePool {
  private threadList: Thread[] = []
  private seq = 0
  private readonly waiting = new Map<number, { thread: Thread; resolve: (out: Uint8Array | undefined) => void; reject: (err: Error) => void }>()

  /** threads: worker threads to start on first use; 0 runs jobs inline. Default: one per core, at most 4. */
  constructor(readonly threads = Math.min(4, os.availableParallelism())) {}

  /** Verifies a received frame (verify-frame.ts); resolves to the raw frame when keepRaw. */
  async verify(data: Uint8Array, objects: readonly FrameObject[], what: string, keepRaw = false): Promise<Buffer | undefined> {
    const out = await this.run({ type: 'verify', data, objects, what, keepRaw })
    return out && Buffer.from(out.buffer, out.byteOffset, out.length)
  }

  /** A new compressed frame of the given slices (reframe.ts). */
  async reframe(sources: readonly ReframeSource[], level: number, what: string): Promise<Buffer> {
    const out = (await this.run({ type: 'reframe', sources, level, what }))!
    return Buffer.from(out.buffer, out.byteOffset, out.length)
  }

  /** Starts the threads now: a thread takes ~150 ms to load its modules, which is better spent while
   * the first request is on the wire than when its first frame arrives. */
  warm(): void {
    if (this.threads > 0 && this.threadList.length === 0) this.start()
  }

  private run(job: FrameJob): Promise<Uint8Array | undefined> {
    if (this.threads === 0) return new Promise((resolve) => resolve(runFrameJob(job)))
    if (this.threadList.length === 0) this.start()
    const thread = this.threadList.reduce((a, b) => (b.busy < a.busy ? b : a))
    const seq = ++this.seq
    thread.busy++
    thread.worker.ref()
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { thread, resolve, reject })
      thread.worker.postMessage({ seq, job })
    })
  }

  private start(): void {
    const file = fileURLToPath(new URL('./frame-worker.js', import.meta.url))
    for (let i = 0; i < this.threads; i++) {
      const thread: Thread = { worker: new Worker(file), busy: 0 }
      thread.worker.on('message', (reply: FrameJobReply) => this.settle(reply))
      thread.worker.on('error', (err) => this.fail(thread, err))
      thread.worker.unref()
      this.threadList.push(thread)
    }
  }

  private settle(reply: FrameJobReply): void {
    const w = this.waiting.get(reply.seq)
    if (!w) return
    this.waiting.delete(reply.seq)
    // An idle worker must not keep the process alive.
    if (--w.thread.busy === 0) w.thread.worker.unref()
    if (reply.ok) w.resolve(reply.out)
    else if (reply.code === 'ECORRUPT') w.reject(new CorruptObjectError(reply.message))
    else w.reject(new AnkagitError('EREMOTE', `frame worker failed: ${reply.message}`))
  }

  private fail(thread: Thread, err: Error): void {
    for (const [seq, w] of this.waiting) {
      if (w.thread !== thread) continue
      this.waiting.delete(seq)
      w.reject(err)
    }
    this.threadList = this.threadList.filter((t) => t !== thread)
  }

  async close(): Promise<void> {
    const threads = this.threadList
    this.threadList = []
    await Promise.all(threads.map((t) => t.worker.terminate()))
  }
}
