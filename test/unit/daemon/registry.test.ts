import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { DirectoryRegistry } from '../../../src/daemon/registry.js'
import { MemoryRegistry } from '../../../src/daemon/memory-registry.js'
import type { Registry } from '../../../src/transport/registry.js'
import { InvalidArgumentError } from '../../../src/errors.js'
import { hashObjectBytes } from '../../../src/objects/id.js'
import { compressFrame } from '../../../src/pack/zstd.js'

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
      const frame = { data: compressFrame(body), objects: [{ id: hashObjectBytes('chunk', body), kind: 'chunk' as const, offset: 0, length: 5000 }] }
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
