import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { AbortError, InvalidArgumentError, NotFoundError, RemoteError } from '../../../src/errors.js'
import { S3Backend, S3Prefix, createS3Client, openS3Backend, parseS3Url } from '../../../src/store/s3.js'
import { isTransientError } from '../../../src/store/retry.js'
import { backendSuite } from '../../suites/backend.js'
import { type TestBucket, s3Endpoint, skipS3, testBucket, testCredentials } from '../../helpers/s3.js'

const urls = suite('parseS3Url')

urls('bucket, prefix, endpoint and region', () => {
  assert.equal(parseS3Url('s3://vms/team/a?endpoint=http://127.0.0.1:7480&region=eu-1'), {
    bucket: 'vms', prefix: 'team/a/', endpoint: 'http://127.0.0.1:7480', region: 'eu-1',
  })
  assert.equal(parseS3Url('s3://vms').prefix, '')
  assert.equal(parseS3Url('s3://vms/').prefix, '')
  assert.equal(parseS3Url('s3://vms/a//b/').prefix, 'a/b/')
  assert.is(parseS3Url('s3://vms').endpoint, undefined)
  assert.is(parseS3Url('s3://vms?endpoint=https://s3.example:443/').endpoint, 'https://s3.example:443')
})

urls('the region defaults to AWS_REGION, then us-east-1', () => {
  const saved = process.env.AWS_REGION
  try {
    delete process.env.AWS_REGION
    assert.is(parseS3Url('s3://vms').region, 'us-east-1')
    process.env.AWS_REGION = 'ap-south-2'
    assert.is(parseS3Url('s3://vms').region, 'ap-south-2')
  } finally {
    if (saved === undefined) delete process.env.AWS_REGION
    else process.env.AWS_REGION = saved
  }
})

urls('bad locations are InvalidArgumentError quoting the URL', () => {
  for (const bad of ['s3:/vms', 'http://vms', 's3://', 's3://Bad_Bucket', 's3://ab', 's3://vms/../x', 's3://vms?endpoint=ftp://x', 's3://vms?colour=red', 's3://vms?endpoint=http://h/path']) {
    try {
      parseS3Url(bad)
      assert.unreachable(`'${bad}' must be refused`)
    } catch (err) {
      assert.instance(err, InvalidArgumentError, bad)
      assert.match((err as Error).message, `'${bad}'`)
    }
  }
})

urls('an S3Prefix must end with a slash; openS3Backend makes no request', () => {
  assert.throws(() => new S3Prefix({} as S3Client, 'vms', 'a'), (e: unknown) => e instanceof InvalidArgumentError)
  const b = openS3Backend('s3://vms/p?endpoint=http://127.0.0.1:1')
  assert.is(b.location, 's3://vms/p/')
})

urls.run()

const endpoint = s3Endpoint()
if (!endpoint) {
  skipS3('S3Backend over a real S3 server')
} else {
  // A page of two keys, so the suite's listing case crosses pages.
  backendSuite('s3', async () => new S3Backend((await testBucket()).freshPrefix({ pageSize: 2 })))

  const s3 = suite('S3Backend against a real server')
  let bucket: TestBucket
  s3.before(async () => {
    bucket = await testBucket()
  })

  s3('listing past the 1000-key page limit yields each key once', async () => {
    const b = new S3Backend(bucket.freshPrefix())
    const keys = Array.from({ length: 1005 }, (_, i) => `many/k${String(i).padStart(4, '0')}`)
    for (let i = 0; i < keys.length; i += 32) await Promise.all(keys.slice(i, i + 32).map((k) => b.save(k, Buffer.from(k))))
    await b.save('manyx/outside', Buffer.from('x'))
    const got: string[] = []
    for await (const k of b.list('many/')) got.push(k)
    assert.is(got.length, 1005)
    assert.is(new Set(got).size, 1005)
    assert.equal([...got].sort(), keys)
  })

  s3('a small page size lists the same keys as one page', async () => {
    const prefix = bucket.freshPrefix({ pageSize: 3 })
    const small = new S3Backend(prefix)
    const whole = new S3Backend(new S3Prefix(bucket.client, bucket.bucket, prefix.prefix))
    for (let i = 0; i < 20; i++) await small.save(`p/${i % 3}/k${i}`, Buffer.from([i]))
    const a: string[] = []
    const b: string[] = []
    for await (const k of small.list('p/')) a.push(k)
    for await (const k of whole.list('p/')) b.push(k)
    assert.is(a.length, 20)
    assert.equal(a.sort(), b.sort())
  })

  s3('values above the threshold go up in parts and read back whole and by range', async () => {
    const prefix = bucket.freshPrefix({ multipartThreshold: 6 << 20, partSize: 5 << 20, partConcurrency: 2 })
    const b = new S3Backend(prefix)
    const body = Buffer.alloc(12 << 20)
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(i, i)
    // Given as several parts whose edges do not line up with the upload's 5 MiB parts.
    await b.save('big', [body.subarray(0, 3_000_000), body.subarray(3_000_000, 9_000_001), body.subarray(9_000_001)])
    const v = await prefix.getVersioned('big')
    assert.ok(v!.etag.endsWith('-3'), `multipart etag, got ${v!.etag}`)
    assert.ok(v!.body.equals(body))
    const at = (5 << 20) - 10
    assert.ok((await b.load('big', { offset: at, length: 20 })).equals(body.subarray(at, at + 20)), 'range across a part edge')
    assert.is((await b.stat('big'))!.size, body.length)
    await b.save('small', Buffer.alloc(1000, 1))
    assert.not.match((await prefix.getVersioned('small'))!.etag, '-', 'one PUT below the threshold')
  })

  s3('ranges: an empty value, a range at the end, a zero length', async () => {
    const b = new S3Backend(bucket.freshPrefix())
    await b.save('empty', Buffer.alloc(0))
    assert.is((await b.load('empty')).length, 0)
    assert.is((await b.load('empty', { offset: 0, length: 5 })).length, 0)
    await b.save('ten', Buffer.from('0123456789'))
    assert.is((await b.load('ten', { offset: 10 })).length, 0)
    assert.is((await b.load('ten', { offset: 50, length: 2 })).length, 0)
    assert.is((await b.load('ten', { offset: 3, length: 0 })).length, 0)
    for (const range of [{ offset: 0, length: 0 }, { offset: 20 }]) {
      try {
        await b.load('absent', range)
        assert.unreachable('a missing key with a range must throw')
      } catch (err) {
        assert.instance(err, NotFoundError)
      }
    }
  })

  s3('an upload aborted midway throws AbortError and leaves no value and no open upload', async () => {
    const prefix = bucket.freshPrefix({ multipartThreshold: 6 << 20, partSize: 5 << 20, partConcurrency: 1 })
    const ac = new AbortController()
    // Abort as soon as the first part has been stored: a deterministic point in the middle.
    prefix.client.middlewareStack.add((next, context) => async (args) => {
      const out = await next(args)
      if (context.commandName === 'UploadPartCommand') ac.abort()
      return out
    }, { step: 'initialize', name: 'abortAfterFirstPart' })
    try {
      await new S3Backend(prefix).save('aborted', Buffer.alloc(20 << 20, 3), { signal: ac.signal })
      assert.unreachable('must throw')
    } catch (err) {
      assert.instance(err, AbortError)
    } finally {
      prefix.client.middlewareStack.remove('abortAfterFirstPart')
    }
    assert.is(await new S3Backend(prefix).stat('aborted'), undefined)
    const open = await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.bucket, Prefix: prefix.prefix }))
    assert.is(open.Uploads?.length ?? 0, 0, 'the upload was aborted on the server')
  })

  s3('a download aborted after its headers arrived throws AbortError', async () => {
    const prefix = bucket.freshPrefix()
    const b = new S3Backend(prefix)
    await b.save('dl', Buffer.alloc(8 << 20, 5))
    const ac = new AbortController()
    prefix.client.middlewareStack.add((next, context) => async (args) => {
      const out = await next(args)
      if (context.commandName === 'GetObjectCommand') ac.abort()
      return out
    }, { step: 'initialize', name: 'abortAfterHeaders' })
    try {
      await b.load('dl', { signal: ac.signal })
      assert.unreachable('must throw')
    } catch (err) {
      assert.instance(err, AbortError)
    } finally {
      prefix.client.middlewareStack.remove('abortAfterHeaders')
    }
    assert.is((await b.load('dl')).length, 8 << 20)
  })

  s3('concurrent saves of many keys all land', async () => {
    const b = new S3Backend(bucket.freshPrefix())
    const bodies = Array.from({ length: 16 }, (_, i) => Buffer.alloc(300_000 + i, i))
    await Promise.all(bodies.map((body, i) => b.save(`c/${i}`, body)))
    for (const [i, body] of bodies.entries()) assert.ok((await b.load(`c/${i}`)).equals(body))
  })

  s3('a missing bucket and bad credentials are RemoteErrors, not NotFound, and not transient', async () => {
    const missing = openS3Backend(`s3://no-such-bucket-${Date.now()}?endpoint=${endpoint}`, { credentials: testCredentials() })
    try {
      await missing.load('k')
      assert.unreachable('must throw')
    } catch (err) {
      assert.instance(err, RemoteError)
      assert.is((err as RemoteError).data.code, 'NoSuchBucket')
      assert.not.ok(isTransientError(err))
    }
    const loc = parseS3Url(`s3://${bucket.bucket}?endpoint=${endpoint}`)
    const wrong = new S3Backend(new S3Prefix(createS3Client(loc, { credentials: { accessKeyId: 'ankagitkey', secretAccessKey: 'wrong' } }), bucket.bucket, ''))
    try {
      await wrong.save('k', Buffer.from('x'))
      assert.unreachable('must throw')
    } catch (err) {
      assert.instance(err, RemoteError)
      assert.is((err as RemoteError).data.status, 403)
      assert.match((err as Error).message, `s3 put of 'k' in s3://${bucket.bucket}/ failed: 403`)
      assert.not.ok(isTransientError(err))
    }
  })

  s3.run()
}
