/**
 * withRetry (src/store/retry.ts): which failures are retried, how often, and that listing stays
 * "each key once" across a retry. Named s3-retry because the decorator exists for the S3 backend;
 * it wraps any Backend, and runs the Backend conformance suite over a MemoryBackend here.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { AbortError, CorruptObjectError, InvalidArgumentError, NotFoundError, RemoteError } from '../../../src/errors.js'
import type { AbortOptions } from '../../../src/options.js'
import type { Backend, BackendStat, LoadOptions } from '../../../src/store/backend.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { isTransientError, withRetry } from '../../../src/store/retry.js'
import { openS3Backend } from '../../../src/store/s3.js'
import { backendSuite } from '../../suites/backend.js'

/** A Backend that throws `failure` from the next `failures` calls, then behaves as a MemoryBackend. */
class FailingBackend implements Backend {
  readonly location = 'failing memory'
  readonly inner = new MemoryBackend()
  calls = 0
  constructor(public failures: number, readonly failure: () => Error) {}
  private async gate(): Promise<void> {
    this.calls++
    if (this.failures > 0) {
      this.failures--
      throw this.failure()
    }
  }
  async save(key: string, body: Uint8Array | readonly Uint8Array[], opts?: AbortOptions): Promise<void> {
    await this.gate()
    return this.inner.save(key, body, opts)
  }
  async load(key: string, opts?: LoadOptions): Promise<Buffer> {
    await this.gate()
    return this.inner.load(key, opts)
  }
  async stat(key: string, opts?: AbortOptions): Promise<BackendStat | undefined> {
    await this.gate()
    return this.inner.stat(key, opts)
  }
  async remove(key: string, opts?: AbortOptions): Promise<void> {
    await this.gate()
    return this.inner.remove(key, opts)
  }
  /** Fails after yielding the first two keys, while failures remain. */
  async *list(prefix: string, opts?: AbortOptions): AsyncIterable<string> {
    this.calls++
    let n = 0
    for await (const k of this.inner.list(prefix, opts)) {
      if (n++ === 2 && this.failures > 0) {
        this.failures--
        throw this.failure()
      }
      yield k
    }
  }
}

const unavailable = () => new RemoteError('s3 get failed: 503 SlowDown', { status: 503, code: 'SlowDown' })
const fast = { baseDelayMs: 1, maxDelayMs: 2 }

backendSuite('memory behind withRetry', async () => withRetry(new MemoryBackend()))

const test = suite('withRetry')

test('transient: 5xx, 408, 429 and dropped connections; not: 4xx, missing, aborted, corrupt, bad arguments', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code })
  for (const e of [unavailable(), new RemoteError('x', { status: 500 }), new RemoteError('x', { status: 429 }), new RemoteError('x', { status: 408 }),
    new RemoteError('x', { code: 'ECONNRESET' }), new RemoteError('x', { code: 'ECONNREFUSED' }), errno('ETIMEDOUT'), errno('EPIPE')]) {
    assert.ok(isTransientError(e), e.message)
  }
  for (const e of [new RemoteError('x', { status: 403 }), new RemoteError('x', { status: 404, code: 'NoSuchBucket' }), new RemoteError('x', { code: 'CredentialsProviderError' }),
    new NotFoundError('x'), new AbortError(), new CorruptObjectError('x'), new InvalidArgumentError('x'), errno('ENOSPC'), new Error('plain')]) {
    assert.not.ok(isTransientError(e), e.message)
  }
})

test('transient failures are retried until the call succeeds, each retry reported', async () => {
  const inner = new FailingBackend(3, unavailable)
  const retries: number[] = []
  const b = withRetry(inner, { ...fast, onRetry: (r) => retries.push(r.attempt) })
  await b.save('k', Buffer.from('v'))
  assert.equal(retries, [1, 2, 3])
  inner.failures = 2
  assert.is((await b.load('k')).toString(), 'v')
  assert.is(inner.calls, 4 + 3)
})

test('attempts are bounded: the last error comes out', async () => {
  const inner = new FailingBackend(100, unavailable)
  try {
    await withRetry(inner, { ...fast, attempts: 4 }).stat('k')
    assert.unreachable('must throw')
  } catch (err) {
    assert.instance(err, RemoteError)
  }
  assert.is(inner.calls, 4)
})

test('NotFoundError, AbortError and 4xx are thrown at once', async () => {
  for (const failure of [() => new NotFoundError('gone'), () => new AbortError(), () => new RemoteError('denied', { status: 403 })]) {
    const inner = new FailingBackend(1, failure)
    try {
      await withRetry(inner, fast).load('k')
      assert.unreachable('must throw')
    } catch (err) {
      assert.is((err as Error).constructor, failure().constructor)
    }
    assert.is(inner.calls, 1)
  }
})

test('an abort during the backoff wait ends it with AbortError', async () => {
  const ac = new AbortController()
  const inner = new FailingBackend(100, unavailable)
  const b = withRetry(inner, { baseDelayMs: 60_000, maxDelayMs: 60_000, onRetry: () => setImmediate(() => ac.abort()) })
  try {
    await b.save('k', Buffer.from('v'), { signal: ac.signal })
    assert.unreachable('must throw')
  } catch (err) {
    assert.instance(err, AbortError)
  }
  assert.is(inner.calls, 1)
})

test('a listing that fails midway starts over and still yields each key once', async () => {
  const inner = new FailingBackend(0, unavailable)
  for (const k of ['a', 'b', 'c', 'd', 'e']) await inner.inner.save(k, Buffer.from(k))
  inner.failures = 2
  const got: string[] = []
  for await (const k of withRetry(inner, fast).list('')) got.push(k)
  assert.equal(got.sort(), ['a', 'b', 'c', 'd', 'e'])
  assert.is(inner.calls, 3)
})

test('a refused connection to an S3 endpoint is retried, then reported as RemoteError', async () => {
  let retries = 0
  // Port 9 (discard) on loopback: nothing listens there, so the connection is refused at once.
  const b = withRetry(openS3Backend('s3://vms?endpoint=http://127.0.0.1:9', { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), { ...fast, attempts: 3, onRetry: () => retries++ })
  try {
    await b.load('packs/x.pack')
    assert.unreachable('must throw')
  } catch (err) {
    assert.instance(err, RemoteError)
    assert.is((err as RemoteError).data.code, 'ECONNREFUSED')
    assert.match((err as Error).message, "s3 get of 'packs/x.pack' in s3://vms/ failed")
  }
  assert.is(retries, 2)
})

test.run()
