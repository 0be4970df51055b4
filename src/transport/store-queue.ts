/**
 * Writes to an object store from many concurrent streams (a daemon's uploads, a client's parallel
 * chunk streams), with "flush resolved" meaning "durable".
 */
import type { AbortOptions } from '../options.js'
import { throwIfAborted } from '../errors.js'
import type { ObjectStore, PutFrameOptions } from '../objects/object-store.js'
import type { CompressedFrame } from '../pack/frame.js'

/**
 * Serializes the writes of concurrent streams to one store. ObjectStore saves a data pack
 * inside putFrame when the pack is full; if that ran beside a flush, the flush could return while a
 * pack holding another request's objects was still being written, and a ref could move onto objects
 * a crash would lose. Here every putFrame and flush goes through one queue, a full pack is saved in
 * the background (the queue moves on: a 16 MiB pack with its fsyncs took ~5 ms of every frame's
 * queue time here, half the time of a loopback push), one pack at a time (so at most two packs,
 * 2 x PACK_TARGET, sit in memory), and flush waits
 * for those saves before it saves the rest. The id filter runs inside the queue, so two uploads of
 * one object store it once.
 *
 * A caller's signal only decides whether its job starts; it never reaches the store's writes. A pack
 * being saved holds frames of every stream, so one client hanging up (its request's signal aborts)
 * must not cancel the save: that failed the save, and then every later flush of the daemon, for good.
 */
export interface FlushOptions extends AbortOptions {
  /** A mark() taken before the caller's first putFrame: only a pack failed after it fails this flush. */
  since?: number
}

export class StoreQueue {
  private tail: Promise<unknown> = Promise.resolve()
  private readonly saving = new Set<Promise<void>>()
  /** Frames put so far: a caller's mark() is where its own frames begin. */
  private puts = 0
  /** The latest failed pack: every frame put up to `puts` then may have been in it. */
  private failed: { puts: number; err: unknown } | undefined

  constructor(private readonly objects: ObjectStore) {}

  /** Where the caller's frames will begin: pass it to flush as `since`. */
  mark(): number {
    return this.puts
  }

  putFrame(frame: CompressedFrame, opts?: PutFrameOptions): Promise<number> {
    return this.enqueue(async () => {
      throwIfAborted(opts?.signal)
      const fresh = frame.objects.filter((o) => !this.objects.contains(o.id))
      if (fresh.length === 0) return 0
      this.puts++
      // The frame is appended before putFrame's first await; only a pack save runs on after it.
      const save = this.objects.putFrame({ data: frame.data, objects: fresh }, { release: opts?.release }).catch((err: unknown) => {
        this.fail(err)
      })
      this.saving.add(save)
      void save.finally(() => this.saving.delete(save))
      while (this.saving.size > 1) await Promise.race(this.saving)
      return fresh.length
    })
  }

  /**
   * Makes every frame put so far durable. Throws when a pack failed to save (or, in the store, to grow)
   * after `since` (default: ever): frames of the caller may have been in it, and were lost though
   * putFrame had taken them. Callers whose frames all came later are not failed by it: one full
   * disk on a daemon must not fail every later push until a restart.
   */
  flush(opts?: FlushOptions): Promise<void> {
    return this.enqueue(async () => {
      throwIfAborted(opts?.signal)
      await Promise.all(this.saving)
      if (this.failed && this.failed.puts > (opts?.since ?? 0)) throw this.failed.err
      try {
        await this.objects.flush()
      } catch (err) {
        throw this.fail(err)
      }
    })
  }

  private fail(err: unknown): unknown {
    this.failed = { puts: this.puts, err }
    return err
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.tail.then(job)
    this.tail = run.catch(() => {})
    return run
  }
}
