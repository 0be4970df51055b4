import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { execFileSync } from 'node:child_process'
import { serve } from '../../../src/daemon/serve.js'
import { HttpRemote } from '../../../src/transport/http-remote.js'
import { pushRefs } from '../../../src/transport/push-refs.js'
import { fetchPack } from '../../../src/transport/fetch-pack.js'
import { AnkagitError, InvalidArgumentError, RemoteError } from '../../../src/errors.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import { commitFiles, disk, localRepo, readFiles } from '../transport/fixtures.js'

const test = suite('serve')
const MAIN = 'refs/heads/main' as RefName
const tmp = (label: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ankagit-${label}-`))

/** A throwaway CA and a certificate for 127.0.0.1 signed by it (EC keys: fast to make). */
function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=ankagit test CA')
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1')
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n')
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext')
  return { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'server.pem'), key: path.join(dir, 'server.key') }
}

test('listens on 127.0.0.1 with port 0 by request, and closes', async () => {
  const root = tmp('root')
  const d = await serve({ root, listen: '127.0.0.1:0' })
  assert.match(d.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  await d.close()
  const remote = new HttpRemote(`${d.url}/vm`)
  await remote.advertise().then(() => assert.unreachable(), (err) => assert.instance(err, RemoteError))
  await remote.close()
  fs.rmSync(root, { recursive: true, force: true })
})

test('bad listen addresses are refused', async () => {
  for (const bad of ['8089', 'host:', 'host:99999', '[::1]8089']) {
    await serve({ root: '/nonexistent', listen: bad }).then(() => assert.unreachable(bad), (err) => assert.instance(err, InvalidArgumentError))
  }
})

test('a port in use is a one-line argument error, not an internal one', async () => {
  const root = tmp('root')
  const first = await serve({ root, listen: '127.0.0.1:0' })
  const port = new URL(first.url).port
  const err = await serve({ root, listen: `127.0.0.1:${port}` }).then(() => assert.unreachable(), (e: unknown) => e)
  assert.instance(err, InvalidArgumentError)
  assert.is((err as Error).message, `cannot listen on 127.0.0.1:${port}: the address is already in use`)
  await first.close()
  fs.rmSync(root, { recursive: true, force: true })
})

test('exactly one of root and store is given; a store location may be a directory', async () => {
  for (const o of [{}, { root: '/nonexistent', store: 's3://bucket' }]) {
    await serve({ ...o, listen: '127.0.0.1:0' }).then(() => assert.unreachable(JSON.stringify(o)), (err) => assert.instance(err, InvalidArgumentError))
  }
  const root = tmp('store')
  const d = await serve({ store: root, listen: '127.0.0.1:0' })
  assert.ok(fs.existsSync(path.join(root, 'repos')), 'a directory store is a daemon root')
  await d.close()
  fs.rmSync(root, { recursive: true, force: true })
})

test('HTTPS with a CA file and bearer tokens from an auth file: push, then fetch', async () => {
  const dir = tmp('tls')
  const { ca, cert, key } = makeCerts(dir)
  fs.writeFileSync(path.join(dir, 'auth'), 'writer-token-0123456789 write vm*\nreader-token-0123456789 read *\n')
  const d = await serve({ root: path.join(dir, 'root'), listen: '127.0.0.1:0', tls: { cert, key }, auth: path.join(dir, 'auth') })
  const author = localRepo(path.join(dir, 'author'))
  const client = localRepo(path.join(dir, 'client'))
  const remotes: HttpRemote[] = []
  const remote = (o: ConstructorParameters<typeof HttpRemote>[1]) => {
    const r = new HttpRemote(`${d.url}/vm1`, o)
    remotes.push(r)
    return r
  }
  try {
    assert.match(d.url, /^https:\/\/127\.0\.0\.1:\d+$/)
    const image = disk(128, 81, [5, 6, 7])
    const v1 = await commitFiles(author.objects, { 'disk.img': image })
    const pushed = await pushRefs({ repo: author, remote: remote({ ca: fs.readFileSync(ca), token: 'writer-token-0123456789' }), updates: [{ name: MAIN, next: v1 }] })
    assert.is(pushed.refs[0]!.status, 'created')
    const r = await fetchPack({ repo: client, remote: remote({ ca: fs.readFileSync(ca), token: 'reader-token-0123456789' }), remoteName: 'origin' })
    assert.is(r.refs[0]!.new, v1)
    assert.ok((await readFiles(client.objects, v1))['disk.img']!.equals(image))

    await pushRefs({ repo: author, remote: remote({ ca: fs.readFileSync(ca), token: 'reader-token-0123456789' }), updates: [{ name: 'refs/heads/x' as RefName, next: v1 }] }).then(
      () => assert.unreachable(),
      (err) => {
        assert.instance(err, AnkagitError)
        assert.is(err.code, 'EAUTH')
        assert.is(err.data.status, 403)
      },
    )
    await remote({ ca: fs.readFileSync(ca) }).advertise().then(
      () => assert.unreachable(),
      (err) => assert.is(err.data.status, 401),
    )
    await remote({ token: 'reader-token-0123456789' }).advertise().then(
      () => assert.unreachable(),
      (err) => {
        assert.instance(err, RemoteError)
        assert.match(err.message, /cannot reach .*certificate/)
      },
    )
  } finally {
    for (const r of remotes) await r.close()
    await d.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
