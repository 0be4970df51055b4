/**
 * A pool of worker threads (one per core) for hashing and compression. Started lazily on first use,
 * so commands with nothing to import never pay the ~40 ms start-up; close() ends the threads.
 */
import { Worker } from 'node:worker_threads'
import * as os from 'node:os'
import { fileURLToPath } from 'node:url'

export type WorkerRequest =
  | { seq: number; type: 'hash'; buf: ArrayBuffer; lengths: number[] }
  | { seq: number; type: 'compress'; raw: ArrayBuffer; length: number; level: number }

export type WorkerResponse =
  | { seq: number; type: 'hash'; ids: ArrayBuffer; buf: ArrayBuffer }
  | { seq: number; type: 'compress'; data: ArrayBuffer; raw: ArrayBuffer }
  | { seq: number; type: 'error'; message: string }

interface Slot {
  worker: Worker
  busy: number
}

export class WorkerPool {
  private slots: Slot[] = []
  private seq = 0
  private readonly waiting = new Map<number, { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void; slot: Slot }>()

  constructor(readonly size = Math.max(1, Math.min(os.availableParallelism(), 8))) {}

  private start(): void {
    const url = new URL('./worker.js', import.meta.url)
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(fileURLToPath(url))
      const slot: Slot = { worker, busy: 0 }
      worker.on('message', (res: WorkerResponse) => this.settle(res))
      worker.on('error', (err) => this.failAll(err))
      worker.unref()
      this.slots.push(slot)
    }
  }

  private settle(res: WorkerResponse): void {
    const w = this.waiting.get(res.seq)
    if (!w) return
    this.waiting.delete(res.seq)
    w.slot.busy--
    if (this.waiting.size === 0) for (const s of this.slots) s.worker.unref()
    if (res.type === 'error') w.reject(new Error(`worker failed: ${res.message}`))
    else w.resolve(res)
  }

  private failAll(err: Error): void {
    for (const [seq, w] of this.waiting) {
      this.waiting.delete(seq)
      w.reject(err)
    }
  }

  private run(req: WorkerRequest, transfer: ArrayBuffer[]): Promise<WorkerResponse> {
    if (this.slots.length === 0) this.start()
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a))
    slot.busy++
    // A referenced worker keeps the process alive only while it has work.
    slot.worker.ref()
    return new Promise((resolve, reject) => {
      this.waiting.set(req.seq, { resolve, reject, slot })
      slot.worker.postMessage(req, transfer)
    })
  }

  /** BLAKE3 ids of consecutive chunks packed in buf (lengths in order); buf is transferred and handed back. */
  async hashChunks(buf: ArrayBuffer, lengths: number[]): Promise<{ ids: Buffer; buf: ArrayBuffer }> {
    const res = await this.run({ seq: ++this.seq, type: 'hash', buf, lengths }, [buf])
    if (res.type !== 'hash') throw new Error('unexpected worker reply')
    return { ids: Buffer.from(res.ids), buf: res.buf }
  }

  /** One zstd frame of raw, and raw's memory handed back for reuse. raw's memory is transferred to the
   *  worker: do not use raw afterwards, use the returned `raw`. */
  async compress(raw: Buffer, level: number): Promise<{ data: Buffer; raw: ArrayBuffer }> {
    // Buffers under 4 KiB share Node's 8 KiB pool and must be copied; larger ones own their memory.
    const own = raw.byteOffset === 0 && raw.buffer.byteLength > Buffer.poolSize
    const ab = own ? (raw.buffer as ArrayBuffer) : Uint8Array.from(raw).buffer
    const res = await this.run({ seq: ++this.seq, type: 'compress', raw: ab, length: raw.length, level }, [ab])
    if (res.type !== 'compress') throw new Error('unexpected worker reply')
    return { data: Buffer.from(res.data), raw: res.raw }
  }

  async close(): Promise<void> {
    const slots = this.slots
    this.slots = []
    await Promise.all(slots.map((s) => s.worker.terminate()))
  }
}
