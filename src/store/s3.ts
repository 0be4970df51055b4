/**
 * S3Backend: the Backend on an S3-compatible object store (AWS S3, Ceph RGW, MinIO), for several
 * stateless daemons sharing one store. S3Prefix is the raw layer under it: keys relative to a
 * bucket prefix, errors mapped to ankagit's, and the conditional PUT that S3RefStore builds on.
 *
 * Location URL: s3://BUCKET[/PREFIX]?endpoint=URL&region=R (both query parameters optional; the
 * region defaults to AWS_REGION, then us-east-1). Credentials come from the standard AWS
 * environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), then the
 * SDK's default chain. Requests go path-style (RGW and MinIO rarely have wildcard DNS).
 *
 * The SDK retries nothing (maxAttempts 1): retrying belongs to withRetry (retry.ts), and a
 * conditional PUT must never be retried blindly (its first attempt may have won).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import type { AbortOptions } from '../options.js'
import { AbortError, InvalidArgumentError, NotFoundError, RemoteError, throwIfAborted } from '../errors.js'
import { type Backend, type BackendStat, type LoadOptions, bodyLength, bodyParts, checkKey } from './backend.js'

export interface S3Location {
  bucket: string
  /** '' or a '/'-terminated key prefix. */
  prefix: string
  /** Undefined means AWS itself. */
  endpoint?: string
  region: string
}

export interface S3Tuning {
  /** Values larger than this go up as multipart uploads. */
  multipartThreshold?: number
  /** Size of each multipart part (S3's minimum is 5 MiB, except for the last part). */
  partSize?: number
  /** Parts of one value uploaded at once. */
  partConcurrency?: number
  /** Keys per ListObjectsV2 page (S3 caps it at 1000; tests set it small to cross pages cheaply). */
  pageSize?: number
}

export interface S3Options extends S3Tuning {
  /** A client to use instead of one made from the location (tests, custom credentials). */
  client?: S3Client
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
}

// Measured against RGW here (one-node Ceph 16.2 on the same 2-core machine, 8 random 16 MiB packs,
// two rounds): one PUT per pack saved at 39-70 MB/s, 2 parts of 8 MiB at 29-33 MB/s and 4 of 5 MiB
// at 30-42 MB/s; with 4 packs in flight all were 55-80 MB/s. Multipart buys nothing at pack size,
// so it starts above two packs, where it bounds what one failed request has to resend.
const DEFAULTS: Required<S3Tuning> = { multipartThreshold: 32 << 20, partSize: 8 << 20, partConcurrency: 4, pageSize: 1000 }

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/** Parses s3://BUCKET[/PREFIX]?endpoint=URL&region=R; throws InvalidArgumentError naming the problem. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/.exec(url)
  if (!m) throw new InvalidArgumentError(`invalid s3 location '${url}': expected s3://BUCKET[/PREFIX][?endpoint=URL&region=R]`)
  const bucket = m[1]!
  if (!BUCKET_RE.test(bucket) || bucket.includes('..')) throw new InvalidArgumentError(`invalid s3 location '${url}': bad bucket name '${bucket}'`)
  const segments = (m[2] ?? '').split('/').filter((s) => s !== '')
  if (segments.some((s) => s === '.' || s === '..')) throw new InvalidArgumentError(`invalid s3 location '${url}': prefix contains '.' or '..'`)
  const loc: S3Location = { bucket, prefix: segments.length ? `${segments.join('/')}/` : '', region: process.env.AWS_REGION ?? 'us-east-1' }
  for (const [k, v] of new URLSearchParams(m[3] ?? '')) {
    if (k === 'region' && v) loc.region = v
    else if (k === 'endpoint' && /^https?:\/\/[^/]+\/?$/.test(v)) loc.endpoint = v.replace(/\/$/, '')
    else throw new InvalidArgumentError(`invalid s3 location '${url}': bad parameter '${k}=${v}'`)
  }
  return loc
}

export function createS3Client(loc: S3Location, opts: S3Options = {}): S3Client {
  // The SDK warns on stderr under Node 20 about its own future Node requirement; a library must not
  // print, and the project's engine is Node 20, so the documented opt-out is set unless the user set it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  return new S3Client({
    region: loc.region,
    endpoint: loc.endpoint,
    forcePathStyle: true,
    credentials: opts.credentials,
    maxAttempts: 1,
    // RGW rejects or ignores the SDK's default CRC32 trailers; only send checksums S3 requires.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
  })
}

export type ConditionalPut = { ifMatch: string } | { ifNoneMatch: '*' }

/**
 * What a conditional PUT came to. 'lost' is a definite 412 (or 409): the condition did not hold.
 * 'unknown' is a 5xx or a network failure: it may have been applied (RGW answers some losing
 * racers with 500), so the caller must re-read, never assume either way.
 */
export type ConditionalOutcome = { outcome: 'won'; etag: string } | { outcome: 'lost' } | { outcome: 'unknown'; error: Error }

export interface VersionedValue {
  body: Buffer
  /** Without quotes, as RGW wants it back in If-Match. */
  etag: string
  lastModifiedMs: number
}

/** Raw keys under one bucket prefix. Keys are not checked here: callers own their key rules. */
export class S3Prefix {
  readonly location: string
  readonly tuning: Required<S3Tuning>

  constructor(readonly client: S3Client, readonly bucket: string, readonly prefix: string, tuning: S3Tuning = {}) {
    if (prefix !== '' && !prefix.endsWith('/')) throw new InvalidArgumentError(`s3 prefix '${prefix}' must end with '/'`)
    this.location = `s3://${bucket}/${prefix}`
    this.tuning = { ...DEFAULTS, ...tuning }
  }

  /** The same bucket under prefix + sub (sub ends with '/'). */
  child(sub: string): S3Prefix {
    return new S3Prefix(this.client, this.bucket, this.prefix + sub, this.tuning)
  }

  async get(key: string, opts: LoadOptions = {}): Promise<Buffer> {
    const offset = opts.offset ?? 0
    if (offset < 0 || (opts.length ?? 0) < 0) throw new InvalidArgumentError(`invalid range of '${key}': offset ${offset}, length ${opts.length}`)
    if (opts.length === 0) return this.emptyRead(key, opts)
    const range = offset > 0 || opts.length !== undefined ? `bytes=${offset}-${opts.length === undefined ? '' : offset + opts.length - 1}` : undefined
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Range: range }), { abortSignal: opts.signal })
      return await readBody(res.Body, res.ContentLength, opts.signal, `'${key}' in ${this.location}`)
    } catch (err) {
      // 416: the range starts at or past the end (an empty value answers any range so): clipped to nothing.
      if (statusOf(err) === 416) return this.emptyRead(key, opts)
      throw this.error(err, 'get', key)
    }
  }

  private async emptyRead(key: string, opts: AbortOptions): Promise<Buffer> {
    if (!(await this.head(key, opts))) throw new NotFoundError(`'${key}' not found in ${this.location}`, { key })
    return Buffer.alloc(0)
  }

  async getVersioned(key: string, opts: AbortOptions = {}): Promise<VersionedValue | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }), { abortSignal: opts.signal })
      const body = await readBody(res.Body, res.ContentLength, opts.signal, `'${key}' in ${this.location}`)
      return { body, etag: unquote(res.ETag), lastModifiedMs: res.LastModified?.getTime() ?? 0 }
    } catch (err) {
      const mapped = this.error(err, 'get', key)
      if (mapped instanceof NotFoundError) return undefined
      throw mapped
    }
  }

  async head(key: string, opts: AbortOptions = {}): Promise<BackendStat | undefined> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }), { abortSignal: opts.signal })
      return { size: res.ContentLength ?? 0, mtimeMs: res.LastModified?.getTime() ?? 0 }
    } catch (err) {
      const mapped = this.error(err, 'head', key)
      if (mapped instanceof NotFoundError) return undefined
      throw mapped
    }
  }

  /** An unconditional PUT, or a multipart upload above the threshold. Atomic either way: S3 shows a key only once it is whole. */
  async put(key: string, body: Uint8Array | readonly Uint8Array[], opts: AbortOptions = {}): Promise<void> {
    throwIfAborted(opts.signal)
    const size = bodyLength(body)
    if (size > this.tuning.multipartThreshold) return this.putMultipart(key, body, size, opts)
    const bytes = body instanceof Uint8Array ? body : Buffer.concat(bodyParts(body) as Uint8Array[])
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: bytes, ContentLength: size }), { abortSignal: opts.signal })
    } catch (err) {
      throw this.error(err, 'put', key)
    }
  }

  async putIf(key: string, body: Buffer, cond: ConditionalPut, opts: AbortOptions = {}): Promise<ConditionalOutcome> {
    throwIfAborted(opts.signal)
    const input = { Bucket: this.bucket, Key: this.prefix + key, Body: body, ContentLength: body.length, ...('ifMatch' in cond ? { IfMatch: cond.ifMatch } : { IfNoneMatch: '*' }) }
    try {
      const res = await this.client.send(new PutObjectCommand(input), { abortSignal: opts.signal })
      return { outcome: 'won', etag: unquote(res.ETag) }
    } catch (err) {
      const status = statusOf(err)
      if (status === 412 || status === 409) return { outcome: 'lost' }
      const mapped = this.error(err, 'conditional put', key)
      if (mapped instanceof AbortError) throw mapped
      if (status === undefined || status >= 500) return { outcome: 'unknown', error: mapped }
      throw mapped
    }
  }

  async delete(key: string, opts: AbortOptions = {}): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }), { abortSignal: opts.signal })
    } catch (err) {
      const mapped = this.error(err, 'delete', key)
      if (!(mapped instanceof NotFoundError)) throw mapped
    }
  }

  /** Keys (relative to this prefix) that start with `under`, page by page, each once, in S3's byte order. */
  async *list(under: string, opts: AbortOptions = {}): AsyncIterable<string> {
    let token: string | undefined
    do {
      throwIfAborted(opts.signal)
      let res
      try {
        res = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + under, MaxKeys: this.tuning.pageSize, ContinuationToken: token }),
          { abortSignal: opts.signal },
        )
      } catch (err) {
        throw this.error(err, 'list', under)
      }
      for (const o of res.Contents ?? []) if (o.Key?.startsWith(this.prefix)) yield o.Key.slice(this.prefix.length)
      token = res.IsTruncated ? res.NextContinuationToken : undefined
    } while (token)
  }

  private async putMultipart(key: string, body: Uint8Array | readonly Uint8Array[], size: number, opts: AbortOptions): Promise<void> {
    const Key = this.prefix + key
    let uploadId: string | undefined
    try {
      const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key }), { abortSignal: opts.signal })
      uploadId = created.UploadId
      const slices = partSlices(bodyParts(body), size, this.tuning.partSize)
      const etags: string[] = new Array(slices.length)
      let next = 0
      const worker = async (): Promise<void> => {
        while (next < slices.length) {
          const i = next++
          const part = sliceBytes(slices[i]!)
          const res = await this.client.send(
            new UploadPartCommand({ Bucket: this.bucket, Key, UploadId: uploadId, PartNumber: i + 1, Body: part, ContentLength: part.length }),
            { abortSignal: opts.signal },
          )
          etags[i] = res.ETag!
        }
      }
      await Promise.all(Array.from({ length: Math.min(this.tuning.partConcurrency, slices.length) }, worker))
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
        { abortSignal: opts.signal },
      )
    } catch (err) {
      // Parts of an unfinished upload cost space until aborted; abort without the caller's signal, which may have fired.
      if (uploadId) await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId })).catch(() => {})
      throw this.error(err, 'multipart put', key)
    }
  }

  /** Maps an SDK or network error to NotFoundError, AbortError or RemoteError (data: status, code, url). */
  error(err: unknown, op: string, key: string): Error {
    if (err instanceof NotFoundError || err instanceof AbortError || err instanceof RemoteError) return err
    const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } }
    if (e?.name === 'AbortError') return new AbortError()
    const status = statusOf(err)
    const code = e?.name === 'Error' || e?.name === undefined ? e?.code : e.name
    if ((status === 404 && code !== 'NoSuchBucket') || code === 'NoSuchKey') return new NotFoundError(`'${key}' not found in ${this.location}`, { key })
    const why = [status, code, e?.message && e.message !== code && e.message !== 'UnknownError' ? e.message : undefined].filter((x) => x !== undefined).join(' ')
    return new RemoteError(`s3 ${op} of '${key}' in ${this.location} failed: ${why || 'unknown error'}`, { status, code, url: this.location }, { cause: err })
  }
}

/** The Backend over an S3Prefix: keys checked as every Backend checks them, ranges, multipart, listing by pages. */
export class S3Backend implements Backend {
  readonly location: string

  constructor(readonly objects: S3Prefix) {
    this.location = objects.location
  }

  async save(key: string, body: Uint8Array | readonly Uint8Array[], opts?: AbortOptions): Promise<void> {
    throwIfAborted(opts?.signal)
    await this.objects.put(checkKey(key), body, opts)
  }

  async load(key: string, opts: LoadOptions = {}): Promise<Buffer> {
    throwIfAborted(opts.signal)
    return this.objects.get(checkKey(key), opts)
  }

  async stat(key: string, opts?: AbortOptions): Promise<BackendStat | undefined> {
    throwIfAborted(opts?.signal)
    return this.objects.head(checkKey(key), opts)
  }

  /** Keys that no Backend could have saved (another tool's files under the prefix) are left out. */
  async *list(prefix: string, opts?: AbortOptions): AsyncIterable<string> {
    for await (const key of this.objects.list(prefix, opts)) {
      if (isBackendKey(key)) yield key
    }
  }

  async remove(key: string, opts?: AbortOptions): Promise<void> {
    throwIfAborted(opts?.signal)
    await this.objects.delete(checkKey(key), opts)
  }
}

/** An S3Backend for s3://BUCKET[/PREFIX]?endpoint=URL&region=R. Makes no request: a bad bucket shows on first use. */
export function openS3Backend(url: string, opts: S3Options = {}): S3Backend {
  const loc = parseS3Url(url)
  const client = opts.client ?? createS3Client(loc, opts)
  return new S3Backend(new S3Prefix(client, loc.bucket, loc.prefix, opts))
}

function isBackendKey(key: string): boolean {
  try {
    checkKey(key)
    return true
  } catch {
    return false
  }
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '')
}

/** Reads a response body whole, checking its length: a short body is a RemoteError (retryable), never a short value. */
async function readBody(body: unknown, length: number | undefined, signal: AbortSignal | undefined, what: string): Promise<Buffer> {
  const stream = body as AsyncIterable<Uint8Array> & { destroy?: () => void }
  if (!stream) return Buffer.alloc(0)
  const onAbort = () => stream.destroy?.()
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    const chunks: Uint8Array[] = []
    let got = 0
    for await (const c of stream) {
      chunks.push(c)
      got += c.length
    }
    throwIfAborted(signal)
    if (length !== undefined && got !== length) throw new RemoteError(`reading ${what} failed: body ended after ${got} of ${length} bytes`, { code: 'ECONNRESET' })
    return chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.length) : Buffer.concat(chunks, got)
  } catch (err) {
    throwIfAborted(signal)
    if (err instanceof RemoteError) throw err
    throw new RemoteError(`reading ${what} failed: ${(err as Error).message}`, { code: (err as NodeJS.ErrnoException).code ?? 'ECONNRESET' }, { cause: err })
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

type Slice = { parts: readonly Uint8Array[]; from: number; to: number }

/** Cuts the concatenation of parts into [from, to) slices of partSize bytes without copying yet. */
function partSlices(parts: readonly Uint8Array[], size: number, partSize: number): Slice[] {
  const out: Slice[] = []
  for (let from = 0; from < size; from += partSize) out.push({ parts, from, to: Math.min(size, from + partSize) })
  return out
}

function sliceBytes(s: Slice): Buffer {
  const pieces: Uint8Array[] = []
  let at = 0
  for (const p of s.parts) {
    const start = Math.max(s.from, at)
    const end = Math.min(s.to, at + p.length)
    if (start < end) pieces.push(p.subarray(start - at, end - at))
    at += p.length
  }
  return pieces.length === 1 ? Buffer.from(pieces[0]!.buffer, pieces[0]!.byteOffset, pieces[0]!.length) : Buffer.concat(pieces)
}
