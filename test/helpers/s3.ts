/**
 * S3 for tests: the endpoint comes from ANKAGIT_TEST_S3 (e.g. http://127.0.0.1:7480, the Ceph RGW
 * that /work/shared/services/ceph-up.sh starts, CI's .ci/run too). Each test file gets a fresh
 * bucket, and each case a fresh prefix in it; the bucket is emptied and removed when the file's
 * tests are done. Without the variable, S3 suites register one skipped test and print why, so the
 * runner reports them skipped, never passed.
 */
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3'
import { randomBytes } from 'node:crypto'
import { suite } from 'uvu'
import { type S3Tuning, S3Prefix, createS3Client, parseS3Url } from '../../src/store/s3.js'

export const S3_ENV = 'ANKAGIT_TEST_S3'

export interface TestBucket {
  client: S3Client
  bucket: string
  endpoint: string
  /** s3://bucket/<sub>?endpoint=…&region=us-east-1, for code that takes a location URL. */
  url(sub?: string): string
  /** A fresh prefix in the bucket ('case-N-xxxx/'), so cases never see each other's keys. */
  freshPrefix(tuning?: S3Tuning): S3Prefix
}

/** The configured endpoint, or undefined when S3 tests are to be skipped. */
export function s3Endpoint(): string | undefined {
  const v = process.env[S3_ENV]
  return v ? v.replace(/\/$/, '') : undefined
}

/** The keys the tests use: the standard AWS variables when set, else the ones ceph-up.sh creates. */
export function testCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'ankagitkey',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'ankagitsecret',
  }
}

/** Registers one skipped test named after the suite and prints the notice CI logs show. */
export function skipS3(name: string): void {
  console.log(`S3 suite SKIPPED: set ${S3_ENV} (${name})`)
  const test = suite(name)
  test.skip(`${name} (needs ${S3_ENV})`, () => {})
  test.run()
}

let cases = 0
let shared: Promise<TestBucket> | undefined

/**
 * The bucket of this test file, created on first call. Call it from hooks and cases, not with a
 * top-level await between suites: uvu starts running the suites registered so far at the first
 * timer, so suites registered after an await would run as a second batch with its own totals.
 */
export function testBucket(): Promise<TestBucket> {
  const endpoint = s3Endpoint()
  if (!endpoint) return Promise.reject(new Error(`${S3_ENV} is not set`))
  shared ??= createTestBucket(endpoint)
  return shared
}

/** Creates a bucket for this test file; it is emptied and deleted when the process is about to exit. */
export async function createTestBucket(endpoint: string): Promise<TestBucket> {
  const bucket = `ankagit-test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
  const loc = parseS3Url(`s3://${bucket}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1`)
  const client = createS3Client(loc, { credentials: testCredentials() })
  await client.send(new CreateBucketCommand({ Bucket: bucket }))
  process.once('beforeExit', () => void deleteBucket(client, bucket))
  return {
    client,
    bucket,
    endpoint,
    url: (sub = '') => `s3://${bucket}/${sub}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1`,
    freshPrefix: (tuning) => new S3Prefix(client, bucket, `case-${++cases}-${randomBytes(2).toString('hex')}/`, tuning),
  }
}

/** Every key under a prefix (all of the bucket by default), across pages. */
export async function listAll(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = []
  let token: string | undefined
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }))
    for (const o of res.Contents ?? []) keys.push(o.Key!)
    token = res.IsTruncated ? res.NextContinuationToken : undefined
  } while (token)
  return keys
}

export async function deleteBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    const keys = await listAll(client, bucket)
    for (let i = 0; i < keys.length; i += 32) {
      await Promise.all(keys.slice(i, i + 32).map((Key) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key }))))
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }))
  } catch {
    // A bucket left behind on a test server is harmless; the server is thrown away after CI.
  }
  client.destroy()
}
