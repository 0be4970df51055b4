/**
 * S3RefStore against a real S3 server (ANKAGIT_TEST_S3): the RefStore conformance suite, then what
 * only a shared store can get wrong: CAS races between processes, multi-ref transactions under
 * contention, a writer that died mid-transaction, ABA, cancellation. Run with "child …" arguments,
 * this file is one of the racing processes instead (see child()).
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { AbortError, RefConflictError } from '../../../src/errors.js'
import type { ObjectId } from '../../../src/objects/id.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import { S3RefStore } from '../../../src/refs/s3-ref-store.js'
import { S3Prefix, createS3Client, parseS3Url } from '../../../src/store/s3.js'
import { type TestBucket, s3Endpoint, skipS3, testBucket, testCredentials } from '../../helpers/s3.js'
import { refStoreSuite, testId } from '../../suites/ref-store.js'

const r = (s: string) => s as RefName
const A = testId(1)
const B = testId(2)
const idOf = (s: string) => createHash('sha256').update(s).digest('hex') as ObjectId

/** A racing process: `child <bucket> <prefix> race <ref> <expect> <next> <goAt>`, `… chain <ref> <seed> <n>`, `… pair <seed> <n>`. */
async function child(args: string[]): Promise<void> {
  const [bucket, prefix, mode, ...rest] = args as [string, string, string, ...string[]]
  const loc = parseS3Url(`s3://${bucket}?endpoint=${s3Endpoint()}&region=us-east-1`)
  const store = new S3RefStore(new S3Prefix(createS3Client(loc, { credentials: testCredentials() }), bucket, prefix), { lockTimeoutMs: 60_000 })
  if (mode === 'race') {
    const [ref, expect, next, goAt] = rest as [string, string, string, string]
    while (Date.now() < Number(goAt)) await new Promise((res) => setTimeout(res, 1))
    try {
      await store.update([{ name: r(ref), next: next as ObjectId, expect: expect as ObjectId }])
      process.stdout.write('won\n')
    } catch (err) {
      process.stdout.write(err instanceof RefConflictError ? 'conflict\n' : `error ${String(err)}\n`)
    }
    return
  }
  // chain: n single-ref CAS steps; pair: n two-ref transactions moving x and y together.
  const [seed, count] = mode === 'chain' ? [rest[1]!, rest[2]!] : [rest[0]!, rest[1]!]
  const names = mode === 'chain' ? [r(rest[0]!)] : [r('refs/heads/x'), r('refs/heads/y')]
  let conflicts = 0
  for (let i = 0; i < Number(count); ) {
    const current = await store.read(names[0]!)
    const next = idOf(`${seed}/${i}`)
    try {
      await store.update(names.map((name) => ({ name, next, expect: current ?? null, message: `${seed} ${i}` })))
      i++
    } catch (err) {
      if (!(err instanceof RefConflictError)) throw err
      conflicts++
    }
  }
  process.stdout.write(`done ${conflicts}\n`)
}

function runChild(bucket: TestBucket, prefix: string, args: string[]): Promise<string> {
  const file = fileURLToPath(import.meta.url)
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [file, 'child', bucket.bucket, prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    proc.stdout.on('data', (d) => (out += d))
    proc.stderr.on('data', (d) => (err += d))
    proc.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`child ${args[0]} exited ${code}: ${err.trim()}`))))
  })
}

if (process.argv[2] === 'child') {
  await child(process.argv.slice(3))
} else if (!s3Endpoint()) {
  skipS3('S3RefStore over a real S3 server')
} else {
  refStoreSuite('s3', async (opts) => new S3RefStore((await testBucket()).freshPrefix(), { ...opts, lockTimeoutMs: 20_000 }))

  const test = suite<{ bucket: TestBucket; objects: S3Prefix; store: S3RefStore }>('S3RefStore on a shared bucket')
  test.before.each(async (ctx) => {
    ctx.bucket = await testBucket()
    ctx.objects = ctx.bucket.freshPrefix()
    ctx.store = new S3RefStore(ctx.objects, { lockTimeoutMs: 20_000, txnLeaseMs: 1_000 })
  })

  test('8 processes race one CAS: exactly one wins, the others get RefConflictError', async ({ bucket, objects, store }) => {
    await store.update([{ name: r('refs/heads/main'), next: A }])
    const goAt = String(Date.now() + 1500) // all started and connected before the start line
    const ids = Array.from({ length: 8 }, (_, i) => testId(200 + i))
    const outs = await Promise.all(ids.map((id) => runChild(bucket, objects.prefix, ['race', 'refs/heads/main', A, id, goAt])))
    assert.is(outs.filter((o) => o === 'won').length, 1, outs.join(','))
    assert.is(outs.filter((o) => o === 'conflict').length, 7, outs.join(','))
    assert.is(await store.read(r('refs/heads/main')), ids[outs.indexOf('won')])
  })

  test('3 processes chaining CAS steps on one ref lose no update', async ({ bucket, objects, store }) => {
    const perChild = 10
    await Promise.all(['p', 'q', 's'].map((seed) => runChild(bucket, objects.prefix, ['chain', 'refs/heads/counter', seed, String(perChild)])))
    const log = await store.reflog(r('refs/heads/counter'))
    assert.is(log.length, 3 * perChild)
    for (let i = 0; i + 1 < log.length; i++) assert.is(log[i]!.old, log[i + 1]!.next, `entry ${i} follows entry ${i + 1}`)
    assert.is(log[log.length - 1]!.old, null)
    assert.is(await store.read(r('refs/heads/counter')), log[0]!.next)
  })

  test('2 processes racing two-ref transactions keep both refs moving together', async ({ bucket, objects, store }) => {
    const perChild = 6
    const outs = await Promise.all(['u', 'v'].map((seed) => runChild(bucket, objects.prefix, ['pair', seed, String(perChild)])))
    const x = await store.reflog(r('refs/heads/x'))
    const y = await store.reflog(r('refs/heads/y'))
    assert.is(x.length, 2 * perChild, outs.join(','))
    assert.equal(x.map((e) => [e.old, e.next]), y.map((e) => [e.old, e.next]))
    assert.is(await store.read(r('refs/heads/x')), await store.read(r('refs/heads/y')))
    const keys: string[] = []
    for await (const k of objects.list('txn/')) keys.push(k)
    assert.equal(keys, [], 'settled transaction records are removed')
  })

  test('a writer that died mid-transaction: its marks read as the old value, and are settled after the lease', async ({ objects, store }) => {
    await store.update([{ name: r('refs/heads/a'), next: A }])
    // What a writer leaves when it dies after marking refs/heads/a and before deciding.
    await objects.put('txn/000000000000001.dead', Buffer.from('{"state":"pending","w":"t0"}\n'))
    const marked = await objects.getVersioned('refs/heads/a')
    await objects.putIf('refs/heads/a', Buffer.from(JSON.stringify({ id: A, w: 't1', txn: 'txn/000000000000001.dead', next: B })), { ifMatch: marked!.etag })
    assert.is(await store.read(r('refs/heads/a')), A, 'an undecided transaction reads as before')
    await store.update([{ name: r('refs/heads/a'), next: testId(3), expect: A }])
    assert.is(await store.read(r('refs/heads/a')), testId(3))
    const record = await objects.getVersioned('txn/000000000000001.dead')
    assert.match(record!.body.toString(), '"aborted"')
  })

  test('a committed transaction whose writer died before settling reads as its new values', async ({ objects, store }) => {
    await objects.put('txn/000000000000002.dead', Buffer.from('{"state":"committed","w":"t0"}\n'))
    await objects.put('refs/heads/c', Buffer.from(JSON.stringify({ id: null, w: 't1', txn: 'txn/000000000000002.dead', next: B })))
    assert.is(await store.read(r('refs/heads/c')), B)
    await store.update([{ name: r('refs/heads/c'), next: A, expect: B }])
    assert.is(await store.read(r('refs/heads/c')), A)
  })

  test('A→B→A gives a new etag, so a writer holding the first one cannot win', async ({ objects, store }) => {
    await store.update([{ name: r('refs/heads/aba'), next: A }])
    const first = await objects.getVersioned('refs/heads/aba')
    await store.update([{ name: r('refs/heads/aba'), next: B, expect: A }])
    await store.update([{ name: r('refs/heads/aba'), next: A, expect: B }])
    const res = await objects.putIf('refs/heads/aba', Buffer.from('{"id":null,"w":"stale"}\n'), { ifMatch: first!.etag })
    assert.is(res.outcome, 'lost')
    assert.is(await store.read(r('refs/heads/aba')), A)
  })

  test('a transaction cancelled after its first mark changes nothing and leaves no mark', async ({ objects, store }) => {
    await store.update([{ name: r('refs/heads/m1'), next: A }, { name: r('refs/heads/m2'), next: A }])
    const ac = new AbortController()
    let marks = 0
    objects.client.middlewareStack.add((next, context) => async (args) => {
      const out = await next(args)
      const input = args.input as { Key?: string; Body?: Buffer }
      if (context.commandName === 'PutObjectCommand' && String(input.Body).includes('"txn"') && ++marks === 1) ac.abort()
      return out
    }, { step: 'initialize', name: 'abortAfterMark' })
    try {
      await store.update([{ name: r('refs/heads/m1'), next: B, expect: A }, { name: r('refs/heads/m2'), next: B, expect: A }], { signal: ac.signal })
      assert.unreachable('must throw')
    } catch (err) {
      assert.instance(err, AbortError)
    } finally {
      objects.client.middlewareStack.remove('abortAfterMark')
    }
    assert.is(marks, 1)
    assert.is(await store.read(r('refs/heads/m1')), A)
    assert.is(await store.read(r('refs/heads/m2')), A)
    for (const key of ['refs/heads/m1', 'refs/heads/m2']) assert.not.match((await objects.getVersioned(key))!.body.toString(), '"txn"')
  })

  test.run()
}
