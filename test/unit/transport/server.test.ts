import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { MemoryRegistry } from '../../../src/daemon/memory-registry.js'
import { FramePool } from '../../../src/pack/frame-pool.js'
import { FrameStreamWriter } from '../../../src/transport/frame-stream.js'
import { encodeIds } from '../../../src/transport/id-list.js'
import { ROUTES } from '../../../src/transport/server.js'
import { hashObject, hashObjectBytes, idToBytes, type ObjectId } from '../../../src/objects/id.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import type { Authorizer } from '../../../src/transport/server-context.js'
import { commitFiles, noise } from './fixtures.js'
import { type Loopback, rawRequest, startServer } from './loopback.js'

interface Ctx {
  registry: MemoryRegistry
  server: Loopback
  pool: FramePool
  v1: ObjectId
}

const test = suite<Ctx>('server: hostile and malformed requests', {} as Ctx)
const V = { 'ankagit-protocol': '1' }

test.before.each(async (ctx) => {
  ctx.registry = new MemoryRegistry()
  ctx.pool = new FramePool(0)
  ctx.server = await startServer(ctx.registry, { pool: ctx.pool })
  ctx.v1 = await commitFiles(ctx.registry.objects, { 'disk.img': noise(64 << 10, 61) })
  const refs = await ctx.registry.create('vm')
  await refs.update([{ name: 'refs/heads/main' as never, next: ctx.v1 }])
})

test.after.each(async (ctx) => {
  await ctx.server.close()
})

function frames(bodies: Buffer[], cut?: number, corrupt = false): Buffer {
  const w = new FrameStreamWriter()
  const objects = bodies.map((b, i) => ({ id: hashObjectBytes('chunk', b), kind: 'chunk' as const, offset: bodies.slice(0, i).reduce((n, x) => n + x.length, 0), length: b.length }))
  const raw = Buffer.concat(bodies)
  if (corrupt) raw[raw.length - 1]! ^= 1
  const all = Buffer.concat([...w.start(), ...w.frame(compressFrame(raw), objects), ...w.end()])
  return cut === undefined ? all : all.subarray(0, cut)
}

function expectError(r: { status: number; json?: any }, status: number, code: string, match: RegExp): void {
  assert.is(r.status, status, JSON.stringify(r.json))
  assert.is(r.json?.error?.code, code)
  assert.match(r.json.error.message, match)
}

test('the route table mirrors PROTOCOL.md', () => {
  assert.equal(ROUTES.map((r) => `${r.method} ${r.verb} ${r.access}`), [
    'GET  read', 'GET refs read', 'POST negotiate read', 'POST chunks read', 'POST missing write', 'POST upload write', 'POST update-refs write',
  ])
})

test('unknown routes, wrong methods, bad names and missing versions', async ({ server }) => {
  expectError(await rawRequest(`${server.base}/vm/nope`), 404, 'ENOTFOUND', /no such endpoint/)
  expectError(await rawRequest(`${server.base}/a/b/c`), 404, 'ENOTFOUND', /no such endpoint/)
  const wrong = await rawRequest(`${server.base}/vm/refs`, { method: 'POST', headers: V })
  expectError(wrong, 405, 'EPROTOCOL', /POST is not allowed/)
  assert.is(wrong.headers.allow, 'GET')
  expectError(await rawRequest(`${server.base}/..%2Fetc/refs`), 400, 'EINVALID', /invalid repository name/)
  expectError(await rawRequest(`${server.base}/Vm/refs`), 400, 'EINVALID', /invalid repository name 'Vm'/)
  expectError(await rawRequest(`${server.base}/vm/missing`, { method: 'POST', body: Buffer.alloc(32) }), 400, 'EPROTOCOL', /lacks the 'ankagit-protocol: 1' header/)
  expectError(await rawRequest(`${server.base}/vm/missing`, { method: 'POST', headers: { 'ankagit-protocol': '2' } }), 400, 'EPROTOCOL', /unsupported protocol version '2'/)
  expectError(await rawRequest(`${server.base}/nothere/refs`), 404, 'ENOTFOUND', /repository 'nothere' not found/)
})

test('bodies of the wrong type or size', async ({ server }) => {
  expectError(await rawRequest(`${server.base}/vm/missing`, { method: 'POST', headers: { ...V, 'content-type': 'text/plain' }, body: Buffer.alloc(32) }), 415, 'EPROTOCOL', /must be application\/x-ankagit-ids/)
  expectError(await rawRequest(`${server.base}/vm/missing`, { method: 'POST', headers: { ...V, 'content-type': 'application/x-ankagit-ids' }, body: Buffer.alloc(33) }), 400, 'EPROTOCOL', /not a multiple of 32/)
  const huge = Buffer.alloc((262_144 + 1) * 32)
  expectError(await rawRequest(`${server.base}/vm/missing`, { method: 'POST', headers: { ...V, 'content-type': 'application/x-ankagit-ids' }, body: huge }), 413, 'EPROTOCOL', /larger than/)
  expectError(await rawRequest(`${server.base}/vm/negotiate`, { method: 'POST', headers: { ...V, 'content-type': 'application/json' }, body: Buffer.from('{"wants":') }), 400, 'EPROTOCOL', /not valid JSON/)
})

test('chunks: unknown ids are 404 and metadata ids 400, before any frame is sent', async (ctx) => {
  const headers = { ...V, 'content-type': 'application/x-ankagit-ids' }
  const ghost = hashObject('chunk', Buffer.from('ghost'))
  expectError(await rawRequest(`${ctx.server.base}/vm/chunks`, { method: 'POST', headers, body: encodeIds([ghost]) }), 404, 'ENOTFOUND', new RegExp(`chunk ${ghost} not found`))
  expectError(await rawRequest(`${ctx.server.base}/vm/chunks`, { method: 'POST', headers, body: encodeIds([ctx.v1]) }), 400, 'EINVALID', /is a commit, not a chunk/)
})

test('negotiate: a want that is not a ref tip is a conflict', async (ctx) => {
  const other = await commitFiles(ctx.registry.objects, { x: Buffer.from('x') })
  const r = await rawRequest(`${ctx.server.base}/vm/negotiate`, { method: 'POST', headers: { ...V, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ wants: [other], haves: [] })) })
  expectError(r, 409, 'EREFCONFLICT', /is not a ref tip of repository 'vm'/)
})

test('upload: a corrupt object is 422 and not stored; frames verified before it are kept', async (ctx) => {
  const headers = { ...V, 'content-type': 'application/x-ankagit-frames' }
  const good = noise(5000, 62)
  const bad = noise(5000, 63)
  const w = new FrameStreamWriter()
  const goodFrame = { data: compressFrame(good), objects: [{ id: hashObjectBytes('chunk', good), kind: 'chunk' as const, offset: 0, length: 5000 }] }
  const badRaw = Buffer.from(bad)
  badRaw[0]! ^= 1
  const badFrame = { data: compressFrame(badRaw), objects: [{ id: hashObjectBytes('chunk', bad), kind: 'chunk' as const, offset: 0, length: 5000 }] }
  const body = Buffer.concat([...w.start(), ...w.frame(goodFrame.data, goodFrame.objects), ...w.frame(badFrame.data, badFrame.objects), ...w.end()])
  expectError(await rawRequest(`${ctx.server.base}/vm/upload`, { method: 'POST', headers, body }), 422, 'ECORRUPT', /frame 2 of the upload to 'vm' is corrupt/)
  await ctx.registry.objects.refresh()
  assert.ok(ctx.registry.objects.contains(hashObjectBytes('chunk', good)), 'the good frame was kept')
  assert.not.ok(ctx.registry.objects.contains(hashObjectBytes('chunk', bad)))
})

test('upload: a truncated stream is 400; a frame is kept only once it arrived whole and verified', async (ctx) => {
  const headers = { ...V, 'content-type': 'application/x-ankagit-frames' }
  const body = noise(3000, 64)
  const id = hashObjectBytes('chunk', body)
  const full = frames([body])
  for (const cut of [3, 60]) {
    expectError(await rawRequest(`${ctx.server.base}/vm/upload`, { method: 'POST', headers, body: full.subarray(0, cut) }), 400, 'EPROTOCOL', /truncated/)
    assert.not.ok(ctx.registry.objects.contains(id))
  }
  expectError(await rawRequest(`${ctx.server.base}/vm/upload`, { method: 'POST', headers, body: full.subarray(0, full.length - 1) }), 400, 'EPROTOCOL', /truncated/)
  assert.ok(ctx.registry.objects.contains(id), 'the whole, verified frame was kept')
  const again = await rawRequest(`${ctx.server.base}/vm/upload`, { method: 'POST', headers, body: full })
  assert.is(again.status, 200)
  assert.equal({ ...again.json, bytes: 0 }, { frames: 1, objects: 1, stored: 0, bytes: 0 })
})

test('update-refs: missing objects are 422, non-commits on branches 400, nothing changes', async (ctx) => {
  const headers = { ...V, 'content-type': 'application/json' }
  const ghost = hashObject('commit', Buffer.from('ghost'))
  const send = (updates: unknown) => rawRequest(`${ctx.server.base}/vm/update-refs`, { method: 'POST', headers, body: Buffer.from(JSON.stringify({ updates })) })
  expectError(await send([{ name: 'refs/heads/x', old: null, new: ghost }]), 422, 'ENOTFOUND', /cannot update 'refs\/heads\/x': object .* is missing on the server/)
  const chunk = hashObject('chunk', noise(64 << 10, 61).subarray(0, 16 << 10))
  expectError(await send([{ name: 'refs/heads/x', old: null, new: chunk }]), 400, 'EINVALID', /must point at a commit, not a chunk/)
  expectError(await send([{ name: 'refs/heads/main', old: null, new: ctx.v1 }]), 409, 'EREFCONFLICT', /ref 'refs\/heads\/main' changed: expected nothing/)
  expectError(await send([{ name: 'refs/../x', old: null, new: ctx.v1 }]), 400, 'EINVALID', /invalid ref name/)
  const refs = await ctx.registry.open('vm')
  assert.is(await refs!.read('refs/heads/x' as never), undefined)
})

test('update-refs: a commit whose chunks never arrived fails the connectivity check', async (ctx) => {
  const { objects } = ctx.registry
  const headers = { ...V, 'content-type': 'application/json' }
  // A tree and commit stored without their chunk, as a hostile or broken client could upload them.
  const orphanStore = new MemoryRegistry().objects
  const c = await commitFiles(orphanStore, { 'disk.img': noise(32 << 10, 65) })
  for (const id of (await orphanStore.expandPrefix('')) as ObjectId[]) {
    const o = await orphanStore.get(id)
    if (o.kind !== 'chunk') objects.put(o.kind, o.body)
  }
  await objects.flush()
  const r = await rawRequest(`${ctx.server.base}/vm/update-refs`, { method: 'POST', headers, body: Buffer.from(JSON.stringify({ updates: [{ name: 'refs/heads/y', old: null, new: c }] })) })
  expectError(r, 422, 'ENOTFOUND', /is missing on the server/)
})

test('auth: no token 401 with a challenge, read-only token 403 on writes, tokens never echoed', async (ctx) => {
  await ctx.server.close()
  const authorize: Authorizer = (token, _repo, access) => (token === undefined ? 'unauthenticated' : token === 'reader-token-000001' ? (access === 'read' ? 'ok' : 'forbidden') : 'unauthenticated')
  ctx.server = await startServer(ctx.registry, { pool: ctx.pool, authorize })
  const none = await rawRequest(`${ctx.server.base}/vm/refs`)
  expectError(none, 401, 'EAUTH', /authentication required for 'vm'/)
  assert.match(String(none.headers['www-authenticate']), /^Bearer/)
  const wrong = await rawRequest(`${ctx.server.base}/vm/refs`, { headers: { authorization: 'Bearer guessed-token-xyz' } })
  expectError(wrong, 401, 'EAUTH', /^invalid token$/)
  assert.not.match(wrong.body.toString(), /guessed/)
  const reader = { authorization: 'Bearer reader-token-000001' }
  const ad = await rawRequest(`${ctx.server.base}/vm/refs`, { headers: reader })
  assert.is(ad.status, 200)
  assert.not.ok(ad.json.capabilities.includes('push'))
  expectError(await rawRequest(`${ctx.server.base}/vm/upload`, { method: 'POST', headers: { ...V, ...reader } }), 403, 'EAUTH', /token may not write 'vm'/)
})

test('the repository list', async ({ server }) => {
  const r = await rawRequest(`${server.base}/`)
  assert.equal(r.json, { protocol: 'ankagit/1', repositories: ['vm'] })
})

test.run()
