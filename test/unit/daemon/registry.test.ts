import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { randomBytes } from 'node:crypto'
import { DirectoryRegistry } from '../../../src/daemon/registry.js'
import { MemoryRegistry } from '../../../src/daemon/memory-registry.js'
import { openRegistry } from '../../../src/daemon/open-registry.js'
import type { Registry } from '../../../src/transport/registry.js'
import { InvalidArgumentError } from '../../../src/errors.js'
import { type ObjectId, hashObjectBytes, idFromBytes } from '../../../src/objects/id.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import { s3Endpoint, skipS3, testBucket, testCredentials } from '../../helpers/s3.js'

function registrySuite(name: string, make: () => Promise<{ registry: Registry; cleanup: () => void }>): void {
  const test = suite(`Registry: ${name}`)

  test('repositories exist once created; names are validated; list is sorted', async () => {
    const { registry, cleanup } = await make()
    try {
      assert.is(await registry.open('vm'), undefined)
      const a = await registry.create('vm')
      assert.is(await registry.create('vm'), a, 'creating twice gives the same repository')
      assert.ok(await registry.open('vm'))
      await registry.create('alpha')
      assert.equal(await registry.list(), ['alpha', 'vm'])
      assert.equal(await a.readHead(), { symbolic: 'refs/heads/main' })
      for (const bad of ['../x', 'Vm', '.new-vm', '']) {
        try {
          await registry.create(bad)
          assert.unreachable(bad)
        } catch (err) {
          assert.instance(err, InvalidArgumentError)
        }
      }
    } finally {
      cleanup()
    }
  })

  test('concurrent first creations end with one repository', async () => {
    const { registry, cleanup } = await make()
    try {
      const all = await Promise.all(Array.from({ length: 8 }, () => registry.create('race')))
      assert.equal(await registry.list(), ['race'])
      const id = hashObjectBytes('commit', Buffer.from('x')).toString('hex')
      await all[0]!.update([{ name: 'refs/heads/main' as never, next: id as never }])
      assert.is(await all[7]!.read('refs/heads/main' as never), id)
    } finally {
      cleanup()
    }
  })

  test('putFrame stores only new objects and flush makes them durable', async () => {
    const { registry, cleanup } = await make()
    try {
      const body = Buffer.alloc(5000, 9)
      const frame = chunkFrame(body)
      const [first, second] = await Promise.all([registry.putFrame(frame), registry.putFrame(frame)])
      assert.equal([first, second], [1, 0])
      await registry.flush()
      assert.is(registry.objects.packNames().length, 1)
      assert.ok((await registry.objects.get(frame.objects[0]!.id.toString('hex') as never)).body.equals(body))
    } finally {
      cleanup()
    }
  })

  test.run()
}

function chunkFrame(body: Buffer) {
  return { data: compressFrame(body), objects: [{ id: hashObjectBytes('chunk', body), kind: 'chunk' as const, offset: 0, length: body.length }] }
}

const MAIN = 'refs/heads/main' as RefName

/** Two registries on one location, as two daemon processes (replicas) would hold them. */
function replicaSuite(name: string, open: () => Promise<{ a: Registry; b: Registry; cleanup: () => void }>): void {
  const test = suite(`Registry replicas: ${name}`)

  test('a repository one replica creates, and its refs, are seen by the other at once', async () => {
    const { a, b, cleanup } = await open()
    try {
      assert.is(await b.open('vm'), undefined)
      const refsA = await a.create('vm')
      const refsB = (await b.open('vm'))!
      assert.ok(refsB, 'created by a, found by b')
      const ids = [1, 2, 3].map((i) => idFromBytes(hashObjectBytes('commit', Buffer.from([i]))) as ObjectId)
      await refsA.update([{ name: MAIN, next: ids[0]!, expect: null }])
      assert.is(await refsB.read(MAIN), ids[0], 'b reads the ref a wrote: refs are never cached')
      await refsB.update([{ name: MAIN, next: ids[1]!, expect: ids[0]! }])
      await refsA.update([{ name: MAIN, next: ids[2]!, expect: ids[0]! }]).then(() => assert.unreachable('a stale expect must fail'), (err) => assert.is(err.code, 'EREFCONFLICT'))
      assert.is(await refsA.read(MAIN), ids[1])
    } finally {
      cleanup()
    }
  })

  test('replicas racing to create one name end with one repository', async () => {
    const { a, b, cleanup } = await open()
    try {
      const all = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).create('race')))
      assert.equal([await a.list(), await b.list()], [['race'], ['race']])
      const id = idFromBytes(hashObjectBytes('commit', Buffer.from('x'))) as ObjectId
      await all[0]!.update([{ name: MAIN, next: id }])
      assert.is(await all[7]!.read(MAIN), id)
    } finally {
      cleanup()
    }
  })

  test('objects one replica stored are present for the other once it asks (pack indexes are re-listed)', async () => {
    const { a, b, cleanup } = await open()
    try {
      await b.objects.load()
      const body = randomBytes(3000)
      const frame = chunkFrame(body)
      const id = idFromBytes(frame.objects[0]!.id) as ObjectId
      await a.putFrame(frame)
      await a.flush()
      assert.equal(await b.objects.missing([id]), [], 'missing() refreshes')
      assert.ok((await b.objects.get(id)).body.equals(body))
    } finally {
      cleanup()
    }
  })

  test.run()
}

registrySuite('memory', async () => ({ registry: new MemoryRegistry(), cleanup: () => {} }))
registrySuite('directory', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-registry-'))
  const registry = await DirectoryRegistry.open(root)
  return {
    registry,
    cleanup: () => {
      assert.ok(fs.existsSync(path.join(root, 'objects', 'packs')))
      assert.equal(fs.readdirSync(path.join(root, 'repos')).filter((n) => n.startsWith('.')), [], 'no temporary directories left')
      fs.rmSync(root, { recursive: true, force: true })
    },
  }
})

replicaSuite('directory', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-replicas-'))
  return { a: await DirectoryRegistry.open(root), b: await DirectoryRegistry.open(root), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) }
})

if (!s3Endpoint()) {
  skipS3('Registry: s3')
} else {
  const s3Options = { s3: { credentials: testCredentials() }, refs: { txnLeaseMs: 2000, lockTimeoutMs: 5000 } }
  const location = async () => (await testBucket()).url(`registry-${randomBytes(4).toString('hex')}`)
  registrySuite('s3', async () => ({ registry: await openRegistry(await location(), s3Options), cleanup: () => {} }))
  replicaSuite('s3', async () => {
    const at = await location()
    return { a: await openRegistry(at, s3Options), b: await openRegistry(at, s3Options), cleanup: () => {} }
  })
}
