import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import { pushRefs } from '../../../src/transport/push-refs.js'
import { HttpRemote } from '../../../src/transport/http-remote.js'
import { FramePool } from '../../../src/pack/frame-pool.js'
import { DirectoryRegistry } from '../../../src/daemon/registry.js'
import { RefConflictError } from '../../../src/errors.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import type { ObjectId } from '../../../src/objects/id.js'
import { CHUNK, commitFiles, disk, localRepo, metadataOf, readFiles, tagObject, tmpDir, type TestRepo } from './fixtures.js'
import { type Loopback, startServer } from './loopback.js'

const MAIN = 'refs/heads/main' as RefName

interface Ctx {
  dirs: string[]
  registry: DirectoryRegistry
  server: Loopback
  pool: FramePool
  remotes: HttpRemote[]
}

const test = suite<Ctx>('pushRefs over loopback', {} as Ctx)

test.before.each(async (ctx) => {
  ctx.dirs = [tmpDir('daemon'), tmpDir('client')]
  ctx.registry = await DirectoryRegistry.open(ctx.dirs[0]!)
  ctx.pool = new FramePool(2)
  ctx.server = await startServer(ctx.registry, { pool: ctx.pool })
  ctx.remotes = []
})

test.after.each(async (ctx) => {
  for (const r of ctx.remotes) await r.close()
  await ctx.server.close()
  await ctx.pool.close()
  for (const d of ctx.dirs) fs.rmSync(d, { recursive: true, force: true })
})

function remote(ctx: Ctx, repo: string): HttpRemote {
  const r = new HttpRemote(ctx.server.url(repo), { pool: ctx.pool })
  ctx.remotes.push(r)
  return r
}

/** 512 chunks of 16 KiB with 64 holes: four stored frames. */
const V1 = disk(512, 31, Array.from({ length: 64 }, (_, i) => 100 + i))

function changed(base: Buffer, blocks: number[], seed: number): Buffer {
  const out = Buffer.from(base)
  for (const b of blocks) out.fill(seed + b, b * CHUNK, b * CHUNK + 100)
  return out
}

async function serverCommitFiles(ctx: Ctx, repo: string, id: ObjectId) {
  const refs = await ctx.registry.open(repo)
  assert.is(await refs!.read(MAIN), id)
  return readFiles(ctx.registry.objects, id)
}

test('a first push sends every chunk once and creates the repository; the server holds the same VM', async (ctx) => {
  const client = localRepo(ctx.dirs[1]!)
  const v1 = await commitFiles(client.objects, { 'disk.img': V1, 'config.json': Buffer.from('{}') })
  const r = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: v1 }] })
  assert.equal(r.refs.map((x) => [x.name, x.status]), [[MAIN, 'created']])
  assert.is(r.sent.chunkObjects, 449, 'every non-hole chunk of the disk, and config.json')
  assert.is(r.sent.metadataObjects, (await metadataOf(client.objects, [v1])).size)
  assert.ok(r.stats.requests <= 6, `requests: ${r.stats.requests}`)
  const files = await serverCommitFiles(ctx, 'vm1', v1)
  assert.ok(files['disk.img']!.equals(V1))
})

test('after an in-place change only the new chunks cross the wire', async (ctx) => {
  const client = localRepo(ctx.dirs[1]!)
  const v1 = await commitFiles(client.objects, { 'disk.img': V1 })
  const first = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: v1 }] })
  const v2disk = changed(V1, [3, 250, 400], 1)
  const v2 = await commitFiles(client.objects, { 'disk.img': v2disk }, [v1])
  const r = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: v2 }] })
  assert.is(r.refs[0]!.status, 'updated')
  assert.is(r.sent.chunkObjects, 3)
  // Three 16 KiB chunks of noise, plus the changed file tree leaves (~10 KiB each, ids do not compress).
  assert.ok(r.sent.bytes < 3 * CHUNK + 48 * 1024, `bytes ${r.sent.bytes}`)
  assert.ok(r.stats.bytesSent < first.stats.bytesSent / 50, `all request bodies: ${r.stats.bytesSent} of ${first.stats.bytesSent}`)
  assert.ok((await serverCommitFiles(ctx, 'vm1', v2))['disk.img']!.equals(v2disk))
})

test('a second VM sharing most chunks, pushed to another repository, sends only its difference', async (ctx) => {
  const client = localRepo(ctx.dirs[1]!)
  const vm1 = await commitFiles(client.objects, { 'disk.img': V1 })
  await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: vm1 }] })
  const vm2disk = changed(V1, [10, 11, 12, 13, 300], 9)
  const vm2 = await commitFiles(client.objects, { 'disk.img': vm2disk, 'nvram.bin': Buffer.alloc(4096, 1) }, [], 'vm2\n')
  const r = await pushRefs({ repo: client, remote: remote(ctx, 'vm2'), updates: [{ name: MAIN, next: vm2 }] })
  assert.is(r.sent.chunkObjects, 6, 'five changed blocks and the nvram')
  assert.ok((await serverCommitFiles(ctx, 'vm2', vm2))['disk.img']!.equals(vm2disk))
  assert.equal(await ctx.registry.list(), ['vm1', 'vm2'])
})

test('pushing what the remote has is up to date and makes one request', async (ctx) => {
  const client = localRepo(ctx.dirs[1]!)
  const v1 = await commitFiles(client.objects, { 'disk.img': V1.subarray(0, 8 * CHUNK) })
  await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: v1 }] })
  const again = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: v1 }] })
  assert.is(again.refs[0]!.status, 'up-to-date')
  assert.is(again.stats.requests, 1)
})

test('a dry run measures exactly the bytes the real push then sends, and sends none', async (ctx) => {
  const client = localRepo(ctx.dirs[1]!)
  const v1 = await commitFiles(client.objects, { 'disk.img': V1 })
  await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: v1 }] })
  // Blocks 0-9 of one frame (partly wanted: re-framed) and a whole new region.
  const v2 = await commitFiles(client.objects, { 'disk.img': changed(V1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3), 'extra.img': disk(40, 77) }, [v1])
  const stored = ctx.registry.objects.objectCount
  const dry = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: v2 }], dryRun: true })
  await ctx.registry.objects.refresh()
  assert.is(ctx.registry.objects.objectCount, stored, 'the dry run stored nothing on the server')
  assert.is(dry.refs[0]!.status, 'updated')
  assert.is((await (await ctx.registry.open('vm1'))!.read(MAIN)), v1, 'no ref moved')
  const real = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: v2 }] })
  assert.is(dry.sent.bytes, real.sent.bytes)
  assert.is(dry.sent.frames, real.sent.frames)
  assert.is(dry.sent.chunkObjects, 50)
})

test('non-fast-forward updates and moved tags are refused unless forced', async (ctx) => {
  const client = localRepo(ctx.dirs[1]!)
  const a = await commitFiles(client.objects, { f: Buffer.from('a') })
  const b = await commitFiles(client.objects, { f: Buffer.from('b') }, [a])
  const other = await commitFiles(client.objects, { f: Buffer.from('other') }, [a])
  const tag = await tagObject(client.objects, a, 'v1')
  await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: b }, { name: 'refs/tags/v1' as RefName, next: tag }] })
  const r = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: other }, { name: 'refs/tags/v1' as RefName, next: b }] })
  assert.equal(r.refs.map((x) => [x.status, x.reason]), [['rejected', 'non-fast-forward'], ['rejected', 'tag exists']])
  const forced = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: other }], force: true })
  assert.is(forced.refs[0]!.status, 'forced')
  assert.is(await (await ctx.registry.open('vm1'))!.read(MAIN), other)
})

test('deleting a remote ref', async (ctx) => {
  const client = localRepo(ctx.dirs[1]!)
  const a = await commitFiles(client.objects, { f: Buffer.from('a') })
  const topic = 'refs/heads/topic' as RefName
  await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: a }, { name: topic, next: a }], remoteName: 'origin' })
  assert.is(await client.refs.read('refs/remotes/origin/topic' as RefName), a)
  const r = await pushRefs({ repo: client, remote: remote(ctx, 'vm1'), updates: [{ name: topic, next: null }], remoteName: 'origin' })
  assert.is(r.refs[0]!.status, 'deleted')
  assert.is(await (await ctx.registry.open('vm1'))!.read(topic), undefined)
  assert.is(await client.refs.read('refs/remotes/origin/topic' as RefName), undefined)
})

test('two pushes racing on one ref: exactly one wins, the other gets RefConflictError', async (ctx) => {
  const one = localRepo(ctx.dirs[1]!)
  const twoDir = tmpDir('client2')
  ctx.dirs.push(twoDir)
  const two = localRepo(twoDir)
  const base = await commitFiles(one.objects, { f: Buffer.from('base') })
  await pushRefs({ repo: one, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: base }] })
  await commitFiles(two.objects, { f: Buffer.from('base') })
  const x = await commitFiles(one.objects, { 'disk.img': disk(64, 41) }, [base], 'x\n')
  const y = await commitFiles(two.objects, { 'disk.img': disk(64, 42) }, [base], 'y\n')
  const results = await Promise.allSettled([
    pushRefs({ repo: one, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: x }] }),
    pushRefs({ repo: two, remote: remote(ctx, 'vm1'), updates: [{ name: MAIN, next: y }] }),
  ])
  const won = results.filter((r) => r.status === 'fulfilled')
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
  assert.is(won.length, 1)
  assert.is(lost.length, 1)
  assert.instance(lost[0]!.reason, RefConflictError)
  assert.match((lost[0]!.reason as Error).message, /ref 'refs\/heads\/main' changed: expected/)
  const final = await (await ctx.registry.open('vm1'))!.read(MAIN)
  assert.ok(final === x || final === y)
})

test.run()
