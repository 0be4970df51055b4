import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { randomBytes } from 'node:crypto'
import { isS3Location, openRegistry, resolveLocation } from '../../../src/daemon/open-registry.js'
import { DirectoryRegistry, StoreRegistry } from '../../../src/daemon/registry.js'
import { InvalidArgumentError, NotFoundError } from '../../../src/errors.js'
import { hashObjectBytes, idFromBytes } from '../../../src/objects/id.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import { listAll, s3Endpoint, testBucket, testCredentials } from '../../helpers/s3.js'

const test = suite('openRegistry')
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-open-registry-'))

test('a directory opens as a daemon root, created unless create is false', async () => {
  const dir = tmp()
  const root = path.join(dir, 'root')
  await openRegistry(root, { create: false }).then(() => assert.unreachable(), (err) => {
    assert.instance(err, NotFoundError)
    assert.match(err.message, /is not a daemon root/)
  })
  assert.not.ok(fs.existsSync(root), 'create: false made nothing')
  const registry = await openRegistry(root)
  assert.instance(registry, DirectoryRegistry)
  assert.ok(fs.existsSync(path.join(root, 'objects', 'packs')) && fs.existsSync(path.join(root, 'repos')))
  assert.instance(await openRegistry(root, { create: false }), DirectoryRegistry)
  fs.rmSync(dir, { recursive: true, force: true })
})

test('other schemes, an empty location and bad s3 URLs are refused', async () => {
  for (const bad of ['', 'http://registry/x', 's3://', 's3://Bad_Bucket', 's3://bucket/../x', 's3://bucket?color=red']) {
    await openRegistry(bad).then(() => assert.unreachable(bad), (err) => assert.instance(err, InvalidArgumentError, bad))
  }
  assert.ok(isS3Location('s3://b/p'))
  assert.not.ok(isS3Location('/srv/s3://x'))
})

test('command-line locations: s3 URLs as given, paths made absolute, other URLs refused (never a folder "http:")', () => {
  assert.is(resolveLocation('s3://b/p?endpoint=http://rgw:7480', '/work'), 's3://b/p?endpoint=http://rgw:7480')
  assert.is(resolveLocation('root', '/srv'), '/srv/root')
  assert.is(resolveLocation('/abs/root', '/srv'), '/abs/root')
  for (const bad of ['http://registry/x', 'file:///srv']) assert.throws(() => resolveLocation(bad, '/srv'), (err: Error) => err instanceof InvalidArgumentError)
})

const s3 = suite('openRegistry: s3')
if (s3Endpoint()) {
  s3('an s3 location keeps objects under objects/, one names/ key per repository and refs under repos/<name>/', async () => {
    const bucket = await testBucket()
    const prefix = `layout-${randomBytes(3).toString('hex')}`
    const registry = await openRegistry(bucket.url(prefix), { s3: { credentials: testCredentials() } })
    assert.instance(registry, StoreRegistry)
    const body = Buffer.alloc(4000, 7)
    const id = hashObjectBytes('chunk', body)
    await registry.putFrame({ data: compressFrame(body), objects: [{ id, kind: 'chunk', offset: 0, length: body.length }] })
    await registry.flush()
    const refs = await registry.create('vm')
    await refs.update([{ name: 'refs/heads/main' as RefName, next: idFromBytes(hashObjectBytes('commit', Buffer.from('c'))) as never }])
    const keys = (await listAll(bucket.client, bucket.bucket, `${prefix}/`)).map((k) => k.slice(prefix.length + 1))
    assert.ok(keys.some((k) => /^objects\/packs\/[0-9a-f]{64}\.pack$/.test(k)), keys.join(' '))
    assert.ok(keys.some((k) => /^objects\/packs\/[0-9a-f]{64}\.idx$/.test(k)), keys.join(' '))
    assert.ok(keys.includes('names/vm'))
    assert.ok(keys.includes('repos/vm/refs/heads/main'))
    assert.equal(keys.filter((k) => !/^(objects\/packs|names|repos\/vm)\//.test(k)), [], 'nothing else is written')
    assert.equal(await registry.list(), ['vm'])
  })

  s3('a bucket that does not exist fails when the registry opens, not at the first request', async () => {
    const { endpoint } = await testBucket()
    const url = `s3://no-such-bucket-${randomBytes(4).toString('hex')}/x?endpoint=${encodeURIComponent(endpoint)}`
    await openRegistry(url, { s3: { credentials: testCredentials() }, retry: { attempts: 1 } }).then(() => assert.unreachable(), (err) => assert.is(err.code, 'EREMOTE'))
  })
} else {
  s3.skip('openRegistry: s3 (needs ANKAGIT_TEST_S3)', () => {})
}

test.run()
s3.run()
