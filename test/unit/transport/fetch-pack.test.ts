import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fetchPack } from '../../../src/transport/fetch-pack.js'
import { pushRefs } from '../../../src/transport/push-refs.js'
import { HttpRemote } from '../../../src/transport/http-remote.js'
import { FramePool } from '../../../src/pack/frame-pool.js'
import { DirectoryRegistry } from '../../../src/daemon/registry.js'
import { AbortError, CorruptObjectError } from '../../../src/errors.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import { CHUNK, commitFiles, disk, localRepo, readFiles, tagObject, tmpDir, type TestRepo } from './fixtures.js'
import { type Loopback, startServer } from './loopback.js'

const MAIN = 'refs/heads/main' as RefName
const TRACKING = 'refs/remotes/origin/main' as RefName

interface Ctx {
  dirs: string[]
  registry: DirectoryRegistry
  server: Loopback
  pool: FramePool
  remotes: HttpRemote[]
  /** The repository that publishes to the daemon. */
  author: TestRepo
}

const test = suite<Ctx>('fetchPack over loopback', {} as Ctx)

test.before.each(async (ctx) => {
  ctx.dirs = [tmpDir('daemon'), tmpDir('author'), tmpDir('client')]
  ctx.registry = await DirectoryRegistry.open(ctx.dirs[0]!)
  ctx.pool = new FramePool(2)
  ctx.server = await startServer(ctx.registry, { pool: ctx.pool })
  ctx.remotes = []
  ctx.author = localRepo(ctx.dirs[1]!)
})

test.after.each(async (ctx) => {
  for (const r of ctx.remotes) await r.close()
  await ctx.server.close()
  await ctx.pool.close()
  for (const d of ctx.dirs) fs.rmSync(d, { recursive: true, force: true })
})

function remote(ctx: Ctx, repo = 'vm1'): HttpRemote {
  const r = new HttpRemote(ctx.server.url(repo), { pool: ctx.pool })
  ctx.remotes.push(r)
  return r
}

async function publish(ctx: Ctx, files: Record<string, Buffer>, parents: string[] = [], repo = 'vm1', ref = MAIN) {
  const id = await commitFiles(ctx.author.objects, files, parents as never)
  await pushRefs({ repo: ctx.author, remote: remote(ctx, repo), updates: [{ name: ref, next: id }], force: true })
  return id
}

function changed(base: Buffer, blocks: number[], seed: number): Buffer {
  const out = Buffer.from(base)
  for (const b of blocks) out.fill(seed + b, b * CHUNK, b * CHUNK + 100)
  return out
}

const V1 = disk(512, 51, Array.from({ length: 32 }, (_, i) => 200 + i))

test('a fetch into an empty repository brings the whole VM, byte for byte, and remote-tracking refs', async (ctx) => {
  const v1 = await publish(ctx, { 'disk.img': V1, 'config.json': Buffer.from('{"cpu":4}') })
  const tag = await tagObject(ctx.author.objects, v1, 'v1')
  await pushRefs({ repo: ctx.author, remote: remote(ctx), updates: [{ name: 'refs/tags/v1' as RefName, next: tag }] })
  const client = localRepo(ctx.dirs[2]!)
  const r = await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  assert.is(r.head, MAIN)
  assert.equal(r.refs.map((c) => [c.local, c.status]), [[TRACKING, 'new'], ['refs/tags/v1', 'new']])
  assert.is(await client.refs.read(TRACKING), v1)
  assert.is(await client.refs.read('refs/tags/v1' as RefName), tag)
  assert.is(r.chunks.wanted, 481)
  assert.is(r.chunks.rawBytes, 480 * CHUNK + 9)
  const files = await readFiles(client.objects, v1)
  assert.ok(files['disk.img']!.equals(V1))
  assert.is(files['config.json']!.toString(), '{"cpu":4}')
})

test('an up-to-date fetch is exactly one request', async (ctx) => {
  await publish(ctx, { 'disk.img': V1.subarray(0, 16 * CHUNK) })
  const client = localRepo(ctx.dirs[2]!)
  await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  const again = await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  assert.is(again.stats.requests, 1)
  assert.equal(again.refs.map((c) => c.status), ['up-to-date'])
})

test('after an in-place change only the new chunks cross the wire', async (ctx) => {
  const v1 = await publish(ctx, { 'disk.img': V1 })
  const client = localRepo(ctx.dirs[2]!)
  const first = await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  const v2disk = changed(V1, [5, 300, 301], 2)
  const v2 = await publish(ctx, { 'disk.img': v2disk }, [v1])
  const r = await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  assert.is(r.chunks.wanted, 3)
  assert.is(r.chunks.objects, 3)
  assert.equal(r.refs.map((c) => c.status), ['updated'])
  assert.ok(r.stats.bytesReceived < first.stats.bytesReceived / 50, `${r.stats.bytesReceived} of ${first.stats.bytesReceived}`)
  assert.ok(r.stats.requests <= 3, `requests: ${r.stats.requests}`)
  assert.ok((await readFiles(client.objects, v2))['disk.img']!.equals(v2disk))
})

test('chunks held for another VM in the shared store are not fetched again', async (ctx) => {
  await publish(ctx, { 'disk.img': V1 })
  const vm2disk = changed(V1, [1, 2, 3, 400], 3)
  const vm2 = await publish(ctx, { 'disk.img': vm2disk }, [], 'vm2')
  const client = localRepo(ctx.dirs[2]!)
  await fetchPack({ repo: client, remote: remote(ctx, 'vm1'), remoteName: 'vm1' })
  const r = await fetchPack({ repo: client, remote: remote(ctx, 'vm2'), remoteName: 'vm2' })
  assert.is(r.chunks.wanted, 4)
  assert.ok((await readFiles(client.objects, vm2))['disk.img']!.equals(vm2disk))
})

test('a dry run reports exactly the bytes the fetch then receives, and stores nothing', async (ctx) => {
  const v1 = await publish(ctx, { 'disk.img': V1 })
  const client = localRepo(ctx.dirs[2]!)
  await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  await publish(ctx, { 'disk.img': changed(V1, [7, 8, 9], 4), 'memory.img': disk(64, 52) }, [v1])
  await client.objects.refresh()
  const held = client.objects.objectCount
  const dry = await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin', dryRun: true })
  await client.objects.refresh()
  assert.is(client.objects.objectCount, held)
  assert.is(await client.refs.read(TRACKING), v1)
  assert.equal(dry.refs.map((c) => c.status), ['updated'])
  const real = await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  assert.is(dry.chunks.wanted, 67)
  assert.is(dry.chunks.bytes, real.chunks.bytes)
  assert.is(dry.chunks.objects, real.chunks.objects)
  assert.is(dry.stats.bytesReceived, real.stats.bytesReceived)
})

test('a chunk corrupted on the server is refused with CorruptObjectError, and no ref moves', async (ctx) => {
  await publish(ctx, { 'disk.img': V1 })
  const packs = path.join(ctx.dirs[0]!, 'objects', 'packs')
  const biggest = fs.readdirSync(packs).filter((f) => f.endsWith('.pack')).map((f) => path.join(packs, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!
  const bytes = fs.readFileSync(biggest)
  bytes[Math.floor(bytes.length / 2)]! ^= 0x40
  fs.writeFileSync(biggest, bytes)
  const client = localRepo(ctx.dirs[2]!)
  try {
    await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
    assert.unreachable('the fetch must fail')
  } catch (err) {
    assert.instance(err, CorruptObjectError)
    assert.match((err as Error).message, /is corrupt/)
  }
  assert.is(await client.refs.read(TRACKING), undefined)
})

test('an interrupted fetch keeps what arrived; the retry asks only for the rest', async (ctx) => {
  const v1 = await publish(ctx, { 'disk.img': disk(1024, 53) })
  const client = localRepo(ctx.dirs[2]!)
  const abort = new AbortController()
  try {
    await fetchPack({
      repo: client,
      remote: remote(ctx),
      remoteName: 'origin',
      streams: 1,
      signal: abort.signal,
      onProgress: (e) => {
        if (e.phase === 'chunks' && e.done >= 3 * (2 << 20)) abort.abort()
      },
    })
    assert.unreachable('the fetch must stop')
  } catch (err) {
    assert.instance(err, AbortError)
  }
  assert.is(await client.refs.read(TRACKING), undefined)
  const retry = await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  assert.ok(retry.chunks.wanted > 0 && retry.chunks.wanted <= 1024 - 3 * 128, `wanted ${retry.chunks.wanted}`)
  assert.is(await client.refs.read(TRACKING), v1)
  assert.is((await readFiles(client.objects, v1))['disk.img']!.length, 1024 * CHUNK)
})

test('an existing tag is not moved by a fetch; forced refspecs move anything', async (ctx) => {
  const a = await publish(ctx, { f: Buffer.from('a') })
  await pushRefs({ repo: ctx.author, remote: remote(ctx), updates: [{ name: 'refs/tags/t' as RefName, next: a }] })
  const client = localRepo(ctx.dirs[2]!)
  await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  const b = await commitFiles(ctx.author.objects, { f: Buffer.from('b') })
  await pushRefs({ repo: ctx.author, remote: remote(ctx), updates: [{ name: 'refs/tags/t' as RefName, next: b }, { name: MAIN, next: b }], force: true })
  const r = await fetchPack({ repo: client, remote: remote(ctx), remoteName: 'origin' })
  assert.equal(r.refs.map((c) => [c.local, c.status, c.reason]), [[TRACKING, 'forced', undefined], ['refs/tags/t', 'rejected', 'tag exists']])
  assert.is(await client.refs.read('refs/tags/t' as RefName), a)
  assert.is(await client.refs.read(TRACKING), b)
})

test.run()
