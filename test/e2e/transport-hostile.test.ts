/**
 * What a daemon does with requests no ankagit client sends (raw node http: bad JSON, wrong content
 * type, no version header, truncated frame streams, an object whose bytes do not hash to its id,
 * repository names that climb out of the root, huge declared sizes): a 4xx with the protocol's
 * error body, and nothing changed (refs, the repositories that exist, fsck of the root, a clone).
 * And a chunk corrupted in the daemon's store is refused by a cloning client, which stores nothing
 * corrupt.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import { ByteWriter } from '../../src/objects/bytes.js'
import { hashObjectBytes } from '../../src/objects/id.js'
import { compressFrame } from '../../src/pack/zstd.js'
import { FrameStreamWriter, encodeStreamStart } from '../../src/transport/frame-stream.js'
import { type TestDaemon, fsckDaemonRoot, startDaemon } from '../helpers/daemon.js'
import { tmpDir } from '../helpers/tmp.js'
import { MiB, assertCliError, cli, cliJson, cliOk, fingerprint, makeVmRepo } from './transport-fixture.js'

const test = suite('hostile and truncated requests, and a corrupt chunk on the daemon')
let daemon: TestDaemon
let work: string

interface Reply { status: number; body: string; bytes: Buffer; code?: string }

/** One raw request; `body` may be a Buffer, a list of Buffers (written in turn) or nothing. */
function request(method: string, urlPath: string, o: { headers?: Record<string, string | number>; body?: Buffer | Buffer[] } = {}): Promise<Reply> {
  const url = new URL(daemon.url)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: urlPath, headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (d: Buffer) => chunks.push(d))
      res.on('end', () => {
        const bytes = Buffer.concat(chunks)
        const body = bytes.toString('utf8')
        let code: string | undefined
        try {
          code = JSON.parse(body).error?.code
        } catch {
          code = undefined
        }
        resolve({ status: res.statusCode ?? 0, body, bytes, code })
      })
    })
    // The daemon may answer and close before it has read a body it refuses: a write that then fails
    // (EPIPE) is not a failure here, its answer still arrives. No answer at all fails after 30 s.
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(err)))
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer to ${method} ${urlPath}`)))
    for (const part of o.body === undefined ? [] : Array.isArray(o.body) ? o.body : [o.body]) req.write(part)
    req.end()
  })
}

const V1 = { 'ankagit-protocol': '1' }
const json = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v))

/** A frame stream holding one chunk (seeded bytes); `id` overrides the listed id (a wrong hash). */
function chunkStream(seed: number, o: { id?: Buffer; end?: boolean } = {}): { parts: Buffer[]; id: Buffer } {
  const body = Buffer.alloc(4096, seed)
  body.writeUInt32BE(seed * 7919, 0)
  const id = o.id ?? hashObjectBytes('chunk', body)
  const w = new FrameStreamWriter()
  const parts = [...w.start(), ...w.frame(compressFrame(body), [{ id, kind: 'chunk', offset: 0, length: body.length }])]
  if (o.end !== false) parts.push(...w.end())
  return { parts, id }
}

/** How many of ids the daemon's store lacks (POST /missing). */
async function missing(ids: Buffer[]): Promise<number> {
  const r = await request('POST', '/runner/missing', { headers: { ...V1, 'content-type': 'application/x-ankagit-ids' }, body: Buffer.concat(ids) })
  assert.is(r.status, 200, r.body)
  return r.bytes.length / 32
}

test.before(async () => {
  work = tmpDir('ankagit-tx-hostile-')
  daemon = await startDaemon(path.join(work, 'root'))
})

test.after(async () => {
  await daemon.stop()
})

test('hostile and truncated requests get a 4xx and change nothing', async () => {
  const vm = path.join(work, 'vm')
  await makeVmRepo({ dir: vm, diskSize: 128 * MiB, dataBytes: 6 * MiB, seed: 71, memorySize: MiB })
  await cliOk(vm, ['remote', 'add', 'origin', `${daemon.url}/runner`])
  await cliJson(vm, ['push'])
  const refsBefore = (await request('GET', '/runner/refs')).body
  const reposBefore = fs.readdirSync(path.join(daemon.root, 'repos')).sort()
  const rootBefore = fs.readdirSync(path.dirname(daemon.root)).sort()
  const head = JSON.parse(refsBefore).refs['refs/heads/main'] as string

  const cases: Array<[string, () => Promise<Reply>, number, string]> = [
    ['bad JSON', () => request('POST', '/runner/negotiate', { headers: { ...V1, 'content-type': 'application/json' }, body: json('{"wants": [') }), 400, 'EPROTOCOL'],
    ['JSON of the wrong shape', () => request('POST', '/runner/update-refs', { headers: { ...V1, 'content-type': 'application/json' }, body: json({ updates: 'all' }) }), 400, 'EPROTOCOL'],
    ['wrong content type', () => request('POST', '/runner/update-refs', { headers: { ...V1, 'content-type': 'text/plain' }, body: json({ updates: [] }) }), 415, 'EPROTOCOL'],
    ['no protocol header', () => request('POST', '/runner/upload', { headers: { 'content-type': 'application/x-ankagit-frames' }, body: chunkStream(1).parts }), 400, 'EPROTOCOL'],
    ['another protocol version', () => request('POST', '/runner/missing', { headers: { 'ankagit-protocol': '2', 'content-type': 'application/x-ankagit-ids' }, body: Buffer.alloc(32) }), 400, 'EPROTOCOL'],
    ['an id list that is not whole ids', () => request('POST', '/runner/missing', { headers: { ...V1, 'content-type': 'application/x-ankagit-ids' }, body: Buffer.alloc(33) }), 400, 'EPROTOCOL'],
    ['a stream of the wrong magic', () => request('POST', '/runner/upload', { headers: { ...V1, 'content-type': 'application/x-ankagit-frames' }, body: Buffer.from('PK\x03\x04not a frame stream') }), 400, 'EPROTOCOL'],
    ['a stream that stops before END', () => request('POST', '/runner/upload', { headers: { ...V1, 'content-type': 'application/x-ankagit-frames' }, body: chunkStream(2, { end: false }).parts }), 400, 'EPROTOCOL'],
    ['a stream cut inside a frame', () => request('POST', '/runner/upload', { headers: { ...V1, 'content-type': 'application/x-ankagit-frames' }, body: Buffer.concat(chunkStream(3).parts).subarray(0, 60) }), 400, 'EPROTOCOL'],
    ['an object whose bytes do not hash to its id', () => request('POST', '/runner/upload', { headers: { ...V1, 'content-type': 'application/x-ankagit-frames' }, body: chunkStream(4, { id: Buffer.alloc(32, 0xab) }).parts }), 422, 'ECORRUPT'],
    ['a frame declaring 1 GiB', () => request('POST', '/runner/upload', { headers: { ...V1, 'content-type': 'application/x-ankagit-frames' }, body: [encodeStreamStart(), hugeFrameHead()] }), 400, 'EPROTOCOL'],
    ['a JSON body declaring 10 GiB', () => request('POST', '/runner/update-refs', { headers: { ...V1, 'content-type': 'application/json', 'content-length': 10 * 1024 ** 3 }, body: json('{') }), 413, 'EPROTOCOL'],
    ['an id list over the per-request limit', () => request('POST', '/runner/missing', { headers: { ...V1, 'content-type': 'application/x-ankagit-ids' }, body: Buffer.alloc(32 * 262_145) }), 413, 'EPROTOCOL'],
    ['a repository name climbing out (..%2f)', () => request('GET', '/..%2f..%2fetc/refs'), 400, 'EINVALID'],
    // URL parsing resolves a dot segment, even percent-encoded, before routing: no such endpoint.
    ['a repository name climbing out (%2e%2e)', () => request('POST', '/%2e%2e/update-refs', { headers: { ...V1, 'content-type': 'application/json' }, body: json({ updates: [{ name: 'refs/heads/main', old: null, new: head }] }) }), 404, 'ENOTFOUND'],
    ['a repository name climbing out (x%2f..%2f..)', () => request('POST', '/runner%2f..%2f..%2fescaped/update-refs', { headers: { ...V1, 'content-type': 'application/json' }, body: json({ updates: [{ name: 'refs/heads/main', old: null, new: head }] }) }), 400, 'EINVALID'],
    ['an upper-case repository name', () => request('GET', '/Runner/refs'), 400, 'EINVALID'],
    ['a ref name outside refs/', () => request('POST', '/runner/update-refs', { headers: { ...V1, 'content-type': 'application/json' }, body: json({ updates: [{ name: 'refs/heads/../../HEAD', old: head, new: null }] }) }), 400, 'EINVALID'],
    ['a ref moved onto an object the daemon lacks', () => request('POST', '/runner/update-refs', { headers: { ...V1, 'content-type': 'application/json' }, body: json({ updates: [{ name: 'refs/heads/main', old: head, new: 'ab'.repeat(32) }] }) }), 422, 'ENOTFOUND'],
    ['a new repository whose ref names nothing', () => request('POST', '/intruder/update-refs', { headers: { ...V1, 'content-type': 'application/json' }, body: json({ updates: [{ name: 'refs/heads/main', old: null, new: 'cd'.repeat(32) }] }) }), 422, 'ENOTFOUND'],
    ['chunks the daemon does not hold', () => request('POST', '/runner/chunks', { headers: { ...V1, 'content-type': 'application/x-ankagit-ids' }, body: Buffer.alloc(32, 0xee) }), 404, 'ENOTFOUND'],
    ['a wrong method', () => request('DELETE', '/runner/refs'), 405, 'EPROTOCOL'],
  ]
  const wrong: string[] = []
  for (const [what, send, status, code] of cases) {
    const r = await send()
    if (r.status !== status || r.code !== code || /\n\s+at /.test(r.body)) wrong.push(`${what}: expected ${status} ${code}, got ${r.status} ${r.body}`)
  }
  assert.equal(wrong, [], wrong.join('\n'))

  // The corrupt object was not stored; the frames of a stream are kept only once verified.
  assert.is(await missing([Buffer.alloc(32, 0xab)]), 1, 'the object with the wrong hash is not stored')
  assert.is((await request('GET', '/runner/refs')).body, refsBefore, 'refs unchanged')
  assert.equal(fs.readdirSync(path.join(daemon.root, 'repos')).sort(), reposBefore, 'no repository created')
  assert.equal(fs.readdirSync(path.dirname(daemon.root)).sort(), rootBefore, 'nothing written beside the root')
  for (const [name, r] of Object.entries(await fsckDaemonRoot(daemon.root))) assert.is(r.code, 0, `fsck of repository '${name}': ${r.stdout}${r.stderr}`)
  const again = path.join(work, 'after-hostile')
  await cliJson(work, ['clone', `${daemon.url}/runner`, again])
  assert.equal(fingerprint(again).files, fingerprint(vm).files)
})

/** A FRAME record head listing one 4 KiB chunk in a frame of 1 GiB. */
function hugeFrameHead(): Buffer {
  return new ByteWriter().u8(0x02).varint(1).u8(0).bytes(Buffer.alloc(32, 1)).varint(0).varint(4096).varint(1 << 30).finish()
}

test('a chunk corrupted in the daemon store is refused by a cloning client, which stores nothing corrupt', async () => {
  const root = path.join(work, 'root-corrupt')
  const corrupt = await startDaemon(root)
  try {
    const vm = path.join(work, 'vm-corrupt')
    await makeVmRepo({ dir: vm, diskSize: 128 * MiB, dataBytes: 8 * MiB, seed: 72, memorySize: MiB })
    await cliOk(vm, ['remote', 'add', 'origin', `${corrupt.url}/runner`])
    await cliJson(vm, ['push'])
    const packs = path.join(root, 'objects', 'packs')
    const big = fs.readdirSync(packs).filter((f) => f.endsWith('.pack')).map((f) => path.join(packs, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!
    const bytes = fs.readFileSync(big)
    bytes[Math.floor(bytes.length / 2)]! ^= 0x10
    fs.writeFileSync(big, bytes)

    const dest = path.join(work, 'clone-corrupt')
    const r = await cli(work, ['clone', '-q', `${corrupt.url}/runner`, dest])
    assertCliError(r, 6, /corrupt/)
    // A clone keeps what it verified, to resume: what it kept is intact, and the corrupt object is not among it.
    if (fs.existsSync(path.join(dest, '.ankagit'))) {
      const f = await cli(dest, ['fsck', '--json'])
      assert.is(f.code, 0, `the client stored nothing corrupt: ${f.stdout}${f.stderr}`)
      // A flipped byte either breaks the zstd frame (the error names the frame; fsck above shows
      // nothing of it was kept) or survives decompression and breaks one object's hash (named here).
      const id = /object ([0-9a-f]{64})/.exec(r.stderr)?.[1]
      if (id) assert.is((await cli(dest, ['cat-file', '-t', id])).code, 10, 'the corrupt object is not stored')
      else assert.match(r.stderr, /frame .* is corrupt/, `the error names the object or its frame: ${r.stderr}`)
    }
  } finally {
    await corrupt.stop()
  }
})

test.run()
