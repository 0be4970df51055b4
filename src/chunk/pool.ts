/**
 * The commit's face of the thread pool (threads/thread-pool.ts): hash batches of chunks and compress
 * frames on every core while the main thread reads and decides.
 */
import { ThreadPool } from '../threads/thread-pool.js'

export class WorkerPool {
  private readonly threads: ThreadPool

  constructor(threads?: ThreadPool | number) {
    this.threads = threads instanceof ThreadPool ? threads : new ThreadPool(threads)
  }

  /** BLAKE3 ids of consecutive chunks packed in buf (lengths in order); buf is transferred and handed back. */
  async hashChunks(buf: ArrayBuffer, lengths: number[]): Promise<{ ids: Buffer; buf: ArrayBuffer }> {
    const reply = await this.threads.run({ type: 'hash', buf, lengths }, [buf])
    if (reply.type !== 'hash') throw new Error('unexpected worker reply')
    return { ids: Buffer.from(reply.ids), buf: reply.buf }
  }

  /** One zstd frame of raw, and raw's memory handed back for reuse. raw's memory is transferred to the
   *  worker: do not use raw afterwards, use the returned `raw`. */
  async compress(raw: Buffer, level: number): Promise<{ data: Buffer; raw: ArrayBuffer }> {
    // Buffers under 4 KiB share Node's 8 KiB pool and must be copied; larger ones own their memory.
    const own = raw.byteOffset === 0 && raw.buffer.byteLength > Buffer.poolSize
    const ab = own ? (raw.buffer as ArrayBuffer) : Uint8Array.from(raw).buffer
    const reply = await this.threads.run({ type: 'compress', raw: ab, length: raw.length, level }, [ab])
    if (reply.type !== 'compress') throw new Error('unexpected worker reply')
    return { data: Buffer.from(reply.data), raw: reply.raw }
  }

  close(): Promise<void> {
    return this.threads.close()
  }
}
