/**
 * withRetry: a Backend decorator that retries transient failures (a 5xx, 408 or 429 from a remote
 * store, a reset or refused connection) with bounded exponential backoff and jitter, restic's
 * backend/retry. It never retries a NotFoundError, an AbortError, a bad argument or corrupt data:
 * those would fail the same way again. Every Backend verb is idempotent (save of identical bytes
 * included), which is what makes retrying safe here; conditional writes are not, and S3RefStore
 * re-reads instead of retrying them.
 */
import type { AbortOptions } from '../options.js'
import { AbortError, RemoteError, throwIfAborted } from '../errors.js'
import type { Backend, BackendStat, LoadOptions } from './backend.js'

export interface RetryOptions {
  /** Attempts in all, the first included; default 5. */
  attempts?: number
  /** Delay before the first retry, doubled for each next one, ±50% jitter; default 200 ms. */
  baseDelayMs?: number
  /** Cap on one delay; default 5 s. */
  maxDelayMs?: number
  /** Told of each retry (the CLI may log it); the library itself never prints. */
  onRetry?: (info: { op: string; key: string; attempt: number; delayMs: number; error: Error }) => void
}

// With these defaults the waits add up to about 0.2+0.4+0.8+1.6 = 3 s, enough to ride out an RGW or
// daemon restart behind a load balancer, short enough that a dead store is reported promptly.
const DEFAULTS = { attempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 }

const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'TimeoutError', 'RequestTimeout', 'SlowDown', 'InternalError', 'ServiceUnavailable'])

/** True for failures that may pass when tried again: server errors, throttling, dropped connections. */
export function isTransientError(err: unknown): boolean {
  if (err instanceof AbortError) return false
  if (err instanceof RemoteError) {
    const status = err.data.status as number | undefined
    if (status !== undefined) return status >= 500 || status === 408 || status === 429
    return TRANSIENT_CODES.has(String(err.data.code))
  }
  if (err instanceof Error && !('data' in err)) return TRANSIENT_CODES.has(String((err as NodeJS.ErrnoException).code))
  return false
}

/** Runs fn until it succeeds, fails for good, or attempts run out (then the last error is thrown). */
export async function retrying<T>(op: string, key: string, fn: () => Promise<T>, opts: RetryOptions & AbortOptions = {}): Promise<T> {
  const o = { ...DEFAULTS, ...opts }
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(opts.signal)
    try {
      return await fn()
    } catch (err) {
      if (attempt >= o.attempts || !isTransientError(err)) throw err
      const delayMs = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random())
      opts.onRetry?.({ op, key, attempt, delayMs, error: err as Error })
      await sleep(delayMs, opts.signal)
    }
  }
}

export function withRetry(backend: Backend, opts: RetryOptions = {}): Backend {
  return new RetryingBackend(backend, opts)
}

class RetryingBackend implements Backend {
  readonly location: string
  constructor(private readonly inner: Backend, private readonly opts: RetryOptions) {
    this.location = inner.location
  }

  save(key: string, body: Uint8Array | readonly Uint8Array[], opts?: AbortOptions): Promise<void> {
    return retrying('save', key, () => this.inner.save(key, body, opts), { ...this.opts, signal: opts?.signal })
  }

  load(key: string, opts?: LoadOptions): Promise<Buffer> {
    return retrying('load', key, () => this.inner.load(key, opts), { ...this.opts, signal: opts?.signal })
  }

  stat(key: string, opts?: AbortOptions): Promise<BackendStat | undefined> {
    return retrying('stat', key, () => this.inner.stat(key, opts), { ...this.opts, signal: opts?.signal })
  }

  remove(key: string, opts?: AbortOptions): Promise<void> {
    return retrying('remove', key, () => this.inner.remove(key, opts), { ...this.opts, signal: opts?.signal })
  }

  /** A listing that fails midway starts over and skips the keys already yielded, so each key still comes once. */
  async *list(prefix: string, opts?: AbortOptions): AsyncIterable<string> {
    const seen = new Set<string>()
    const o = { ...DEFAULTS, ...this.opts }
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const key of this.inner.list(prefix, opts)) {
          if (seen.has(key)) continue
          seen.add(key)
          yield key
        }
        return
      } catch (err) {
        if (attempt >= o.attempts || !isTransientError(err)) throw err
        const delayMs = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random())
        o.onRetry?.({ op: 'list', key: prefix, attempt, delayMs, error: err as Error })
        await sleep(delayMs, opts?.signal)
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  throwIfAborted(signal)
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(new AbortError())
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
