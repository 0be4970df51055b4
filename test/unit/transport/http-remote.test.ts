import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpRemote } from '../../../src/transport/http-remote.js'
import { FramePool } from '../../../src/pack/frame-pool.js'
import { FrameStreamWriter } from '../../../src/transport/frame-stream.js'
import { MemoryRegistry } from '../../../src/daemon/memory-registry.js'
import { AnkagitError, InvalidArgumentError, RemoteError } from '../../../src/errors.js'
import { hashObjectBytes } from '../../../src/objects/id.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import type { Authorizer } from '../../../src/transport/server-context.js'
import { noise } from './fixtures.js'
import { startServer } from './loopback.js'

const test = suite('HttpRemote')
const pool = new FramePool(0)

async function fakeServer(handle: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handle)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  }
}

test('refuses URLs it cannot use', () => {
  for (const [url, match] of [
    ['ftp://host/x', /use http:\/\/ or https:\/\//],
    ['http://user:secret@host/x', /holds credentials/],
    ['http://host:8089/', /must name a repository/],
    ['not a url', /invalid remote URL/],
  ] as const) {
    assert.throws(() => new HttpRemote(url, { pool }), (e: unknown) => e instanceof InvalidArgumentError && match.test((e as Error).message), url)
  }
  assert.not.match(String((() => { try { new HttpRemote('http://user:secret@host/x') } catch (e) { return (e as Error).message } })()), /secret/)
})

test('an unreachable daemon is a RemoteError naming it', async () => {
  const s = await fakeServer(() => {})
  const url = s.url
  await s.close()
  const remote = new HttpRemote(`${url}/vm`, { pool })
  try {
    await remote.advertise()
    assert.unreachable()
  } catch (err) {
    assert.instance(err, RemoteError)
    assert.match((err as Error).message, new RegExp(`cannot reach '${url}/vm'`))
  } finally {
    await remote.close()
  }
})

test('sends the bearer token; the server error comes back typed; counters count', async () => {
  const registry = new MemoryRegistry()
  await registry.create('vm')
  const token = 'writer-token-0123456789'
  const authorize: Authorizer = (t, _r, access) => (t === token ? 'ok' : t === undefined ? 'unauthenticated' : access === 'read' ? 'ok' : 'forbidden')
  const server = await startServer(registry, { pool, authorize })
  const good = new HttpRemote(server.url('vm'), { pool, token })
  const anon = new HttpRemote(server.url('vm'), { pool })
  try {
    const ad = await good.advertise()
    assert.ok(ad.capabilities.includes('push'))
    assert.is(good.stats.requests, 1)
    assert.ok(good.stats.bytesReceived > 100)
    try {
      await anon.advertise()
      assert.unreachable()
    } catch (err) {
      assert.instance(err, AnkagitError)
      assert.is((err as AnkagitError).code, 'EAUTH')
      assert.is((err as AnkagitError).data.status, 401)
    }
  } finally {
    await good.close()
    await anon.close()
    await server.close()
  }
})

test('an upload refused before its end surfaces the refusal, not a broken pipe', async () => {
  const registry = new MemoryRegistry()
  const authorize: Authorizer = (_t, _r, access) => (access === 'read' ? 'ok' : 'forbidden')
  const server = await startServer(registry, { pool, authorize })
  const remote = new HttpRemote(server.url('vm'), { pool, token: 'reader-token-0123456789' })
  const body = noise(1 << 20, 71)
  async function* frames() {
    for (let i = 0; i < 64; i++) yield { data: compressFrame(body), objects: [{ id: hashObjectBytes('chunk', body), kind: 'chunk' as const, offset: 0, length: body.length }] }
  }
  try {
    await remote.upload(frames())
    assert.unreachable()
  } catch (err) {
    assert.instance(err, AnkagitError)
    assert.is((err as AnkagitError).code, 'EAUTH')
    assert.match((err as Error).message, /token may not write 'vm'/)
  } finally {
    await remote.close()
    await server.close()
  }
})

test('a non-ankagit error page and a dropped stream are clear errors', async () => {
  const s = await fakeServer((req, res) => {
    if (req.url?.endsWith('/refs')) {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<html>bad gateway</html>')
      return
    }
    req.resume()
    res.writeHead(200, { 'content-type': 'application/x-ankagit-frames' })
    const w = new FrameStreamWriter()
    const body = noise(4096, 72)
    const parts = [...w.start(), ...w.frame(compressFrame(body), [{ id: hashObjectBytes('chunk', body), kind: 'chunk', offset: 0, length: 4096 }])]
    res.write(Buffer.concat(parts).subarray(0, 100))
    setTimeout(() => res.socket?.destroy(), 20)
  })
  const remote = new HttpRemote(`${s.url}/vm`, { pool })
  try {
    await remote.advertise().then(() => assert.unreachable(), (err) => {
      assert.instance(err, RemoteError)
      assert.match(err.message, /answered 502 without an error body/)
    })
    try {
      for await (const _ of remote.fetchChunks(Buffer.alloc(32))) assert.unreachable()
      assert.unreachable()
    } catch (err) {
      assert.instance(err, AnkagitError)
      assert.ok(['EREMOTE', 'EPROTOCOL'].includes((err as AnkagitError).code), (err as Error).message)
    }
  } finally {
    await remote.close()
    await s.close()
  }
})

test.run()
