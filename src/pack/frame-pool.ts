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
import type { FrameObject } from './frame.js'
import { ThreadPool, owned } from '../threads/thread-pool.js'
import { type FrameFile, encodeTable } from './frame-job.js'
import type { ReframeSource } from './reframe.js'

export class FramePool {
  private readonly pool: ThreadPool

  /** threads: worker threads to start on first use; 0 runs jobs inline. Default: one per core, at most 4. */
  constructor(threads?: number | ThreadPool) {
    this.pool = threads instanceof ThreadPool ? threads : new ThreadPool(threads)
  }

  get threads(): number {
    return this.pool.threads
  }

  /** Verifies a received frame (verify-frame.ts). Use the returned data afterwards: the buffer given
   * may have been moved to the worker and back. raw is the decompressed frame, when asked for: in
   * `into` (transferred, then handed back as raw's buffer) when it is large enough. */
  async verify(data: Buffer, objects: readonly FrameObject[], what: string, keepRaw = false, into?: ArrayBuffer): Promise<{ data: Buffer; raw?: Buffer }> {
    const sent = this.threads === 0 ? data : owned(data)
    const target = into && new Uint8Array(into)
    const transfer = [sent.buffer as ArrayBuffer, ...(into && this.threads > 0 ? [into] : [])]
    const reply = await this.pool.run({ type: 'verify', data: sent, table: encodeTable(objects), what, keepRaw, ...(target ? { into: target } : {}) }, transfer)
    if (reply.type !== 'verified') throw new Error('unexpected worker reply')
    const back = reply.data ? Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.length) : data
    return reply.out ? { data: back, raw: Buffer.from(reply.out.buffer, reply.out.byteOffset, reply.out.length) } : { data: back }
  }

  /** Like verify(keepRaw) for a frame a worker reads itself from a local pack file. */
  async verifyFile(file: FrameFile, objects: readonly FrameObject[], what: string, into?: ArrayBuffer): Promise<Buffer> {
    const target = into && new Uint8Array(into)
    const reply = await this.pool.run({ type: 'verify', file, table: encodeTable(objects), what, keepRaw: true, ...(target ? { into: target } : {}) }, into && this.threads > 0 ? [into] : [])
    if (reply.type !== 'verified' || !reply.out) throw new Error('unexpected worker reply')
    return Buffer.from(reply.out.buffer, reply.out.byteOffset, reply.out.length)
  }

  /** A new compressed frame of the given slices (reframe.ts). Stored frames given as `data` are
   * moved to the worker (do not use them afterwards); `raw` sources are copied. */
  async reframe(sources: readonly ReframeSource[], level: number, what: string): Promise<Buffer> {
    const moved = sources.map((s) => (s.data && this.threads > 0 ? { ...s, data: owned(s.data) } : s))
    const transfer = moved.flatMap((s) => (s.data && this.threads > 0 ? [s.data.buffer as ArrayBuffer] : []))
    const reply = await this.pool.run({ type: 'reframe', sources: moved, level, what }, transfer)
    if (reply.type !== 'reframed' || !reply.out) throw new Error('unexpected worker reply')
    return Buffer.from(reply.out.buffer, reply.out.byteOffset, reply.out.length)
  }

  /** Starts the threads now: a thread takes ~150 ms to load its modules, which is better spent while
   * the first request is on the wire than when its first frame arrives. */
  warm(): void {
    this.pool.warm()
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
