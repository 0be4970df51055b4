/**
 * With an auth file, repositories sharing one store are isolated for reading: a token that may read
 * only repository A gets "not found" for chunks only B reaches, even by id, and negotiation does not
 * tell it which of B's commits the store holds. Without isolation (no auth file) the same requests succeed,
 * which shows these tests can fail.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { MemoryRegistry } from '../../../src/daemon/memory-registry.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { encodeIds } from '../../../src/transport/id-list.js'
import { PROTOCOL_HEADER, PROTOCOL_VERSION, CONTENT_IDS, CONTENT_JSON } from '../../../src/transport/limits.js'
import { fileExtents } from '../../../src/objects/file-extents.js'
import { readBundleFiles, readCommit } from '../../../src/objects/read.js'
import type { Authorizer } from '../../../src/transport/server-context.js'
import type { ObjectId } from '../../../src/objects/id.js'
import { commitFiles, disk, setRef } from './fixtures.js'
import { rawRequest, startServer } from './loopback.js'

const test = suite('repository isolation')

async function setup(authorize?: Authorizer) {
  const registry = new MemoryRegistry(new ObjectStore(new MemoryBackend()))
  const a = await registry.create('a')
  const b = await registry.create('b')
  const ca = await commitFiles(registry.objects, { 'disk.img': disk(8, 1) })
  const cb = await commitFiles(registry.objects, { 'disk.img': disk(8, 2) })
  await setRef(a, 'refs/heads/main', ca)
  await setRef(b, 'refs/heads/main', cb)
  await registry.objects.flush()
  const file = (await readBundleFiles(registry.objects, (await readCommit(registry.objects, cb)).tree)).get('disk.img')!
  let chunkOfB: ObjectId | undefined
  for await (const e of fileExtents(registry.objects, file.id)) if (e.kind === 'chunk') chunkOfB ??= e.id
  const server = await startServer(registry, authorize ? { authorize } : {})
  return { server, ca, cb, chunkOfB: chunkOfB! }
}

const readerOfA: Authorizer = (token, repo, access) => (token !== 'ta' ? 'unauthenticated' : repo === 'a' && access === 'read' ? 'ok' : 'forbidden')
const headers = (type: string, token?: string) => ({ [PROTOCOL_HEADER]: PROTOCOL_VERSION, 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) })

test("isolated: a chunk only B reaches is 'not found' through A", async () => {
  const s = await setup(readerOfA)
  try {
    const r = await rawRequest(s.server.url('a') + '/chunks', { method: 'POST', headers: headers(CONTENT_IDS, 'ta'), body: encodeIds([s.chunkOfB]) })
    assert.is(r.status, 404)
    assert.is(r.json.error.code, 'ENOTFOUND')
  } finally {
    await s.server.close()
  }
})

test("isolated: negotiate does not confirm B's commits as common", async () => {
  const s = await setup(readerOfA)
  try {
    const body = Buffer.from(JSON.stringify({ wants: [s.ca], haves: [s.cb] }))
    const r = await rawRequest(s.server.url('a') + '/negotiate', { method: 'POST', headers: headers(CONTENT_JSON, 'ta'), body })
    assert.is(r.status, 200)
    assert.not.ok(r.body.toString('latin1').includes(s.cb), "B's commit id is not echoed as common")
  } finally {
    await s.server.close()
  }
})

test('not isolated (no auth file): the same chunk request is served', async () => {
  const s = await setup()
  try {
    const r = await rawRequest(s.server.url('a') + '/chunks', { method: 'POST', headers: headers(CONTENT_IDS), body: encodeIds([s.chunkOfB]) })
    assert.is(r.status, 200)
  } finally {
    await s.server.close()
  }
})

test.run()
