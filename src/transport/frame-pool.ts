/**
 * Worker threads for the CPU-heavy steps of a transfer: verifying received frames (decompress and
 * hash) and re-framing partly wanted frames (decompress and recompress). Verifying a 2 MiB frame
 * takes ~3 ms of a core and re-framing one ~10 ms; done on the event loop of a daemon receiving an
 * upload, they held its other requests back by up to ~0.3 s (p99 of GET /refs, 0.07 s with two
 * threads; figures in the transport report). threads = 0 runs the same code inline, for tests.
 *
 * Frames cross to a worker as transferred buffers, and come back the same way: a clone would copy
 * every byte twice, and a table of Buffer ids would drag each id's 8 KiB pool slab along (that
 * alone cost ~1 s of main-thread time per GB received).
 */
import { Worker } from 'node:worker_threads'
import * as os from 'node:os'
import { fileURLToPath } from 'node:url'
import { AnkagitError, CorruptObjectError } from '../errors.js'
import type { FrameObject } from '../pack/frame.js'
import { type FrameJob, type FrameJobReply, encodeTable, runFrameJob } from './frame-job.js'
import type { ReframeSource } from './reframe.js'

interface Thread {
  worker: Worker
  busy: number
}

type Reply = FrameJobReply & { ok: true }

export class FramePool {
  private threadList: Thread[] = []
  private seq = 0
  private readonly waiting = new Map<number, { thread: Thread; resolve: (reply: Reply) => void; reject: (err: Error) => void }>()

  /** threads: worker threads to start on first use; 0 runs jobs inline. Default: one per core, at most 4. */
  constructor(readonly threads = Math.min(4, os.availableParallelism())) {}

  /** Verifies a received frame (verify-frame.ts). Use the returned data afterwards: the buffer given
   * may have been moved to the worker and back. raw is the decompressed frame, when asked for. */
  async verify(data: Buffer, objects: readonly FrameObject[], what: string, keepRaw = false): Promise<{ data: Buffer; raw?: Buffer }> {
    const sent = this.threads === 0 ? data : owned(data)
    const reply = await this.run({ type: 'verify', data: sent, table: encodeTable(objects), what, keepRaw }, [sent.buffer as ArrayBuffer])
    const back = reply.data ? Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.length) : data
    return reply.out ? { data: back, raw: Buffer.from(reply.out.buffer, reply.out.byteOffset, reply.out.length) } : { data: back }
  }

  /** A new compressed frame of the given slices (reframe.ts). Stored frames given as `data` are
   * moved to the worker (do not use them afterwards); `raw` sources are copied. */
  async reframe(sources: readonly ReframeSource[], level: number, what: string): Promise<Buffer> {
    const moved = sources.map((s) => (s.data && this.threads > 0 ? { ...s, data: owned(s.data) } : s))
    const transfer = moved.flatMap((s) => (s.data && this.threads > 0 ? [s.data.buffer as ArrayBuffer] : []))
    const out = (await this.run({ type: 'reframe', sources: moved, level, what }, transfer)).out!
    return Buffer.from(out.buffer, out.byteOffset, out.length)
  }

  /** Starts the threads now: a thread takes ~150 ms to load its modules, which is better spent while
   * the first request is on the wire than when its first frame arrives. */
  warm(): void {
    if (this.threads > 0 && this.threadList.length === 0) this.start()
  }

  private async run(job: FrameJob, transfer: ArrayBuffer[]): Promise<Reply> {
    if (this.threads === 0) return { seq: 0, ok: true, ...runFrameJob(job) }
    this.warm()
    const thread = this.threadList.reduce((a, b) => (b.busy < a.busy ? b : a))
    const seq = ++this.seq
    thread.busy++
    thread.worker.ref()
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { thread, resolve, reject })
      thread.worker.postMessage({ seq, job }, transfer)
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
    if (reply.ok) w.resolve(reply)
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

/** b itself when it owns its whole ArrayBuffer (so it can be transferred), else a copy that does. */
function owned(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? b : new Uint8Array(b)
}
