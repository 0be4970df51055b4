import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { gcRegistry } from '../../../src/commands/gc.js'
import { MemoryRegistry } from '../../../src/daemon/memory-registry.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import type { Repository } from '../../../src/repository.js'
import type { RefStore } from '../../../src/refs/ref-store.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { InvalidArgumentError, NotFoundError } from '../../../src/errors.js'
import { bytes, commitFiles } from './fixture.js'

const test = suite('gcRegistry')

/** Two repositories in one registry: a (main), b (main and tag x with data of its own). */
async function setup() {
  const backend = new MemoryBackend()
  const registry = new MemoryRegistry(new ObjectStore(backend))
  const as = (refs: RefStore) => ({ objects: registry.objects, refs }) as unknown as Repository
  const a = await registry.create('a')
  const b = await registry.create('b')
  const ca = await commitFiles(as(a), { 'disk.img': bytes(1, 32768) }, { ref: 'refs/heads/main' })
  const cb = await commitFiles(as(b), { 'disk.img': bytes(2, 32768) }, { ref: 'refs/heads/main' })
  const packsBefore = registry.objects.packNames().length
  const cx = await commitFiles(as(b), { 'disk.img': bytes(3, 32768) }, { ref: 'refs/tags/x' })
  return { registry, backend, a, b, ca, cb, cx, xPacks: registry.objects.packNames().length - packsBefore }
}

const now = () => Date.now() + 1000

test("roots are every repository's refs: only what the deleted tag reached is freed, the dry run says how much", async () => {
  const { registry, b, ca, cb, cx, xPacks } = await setup()
  const kept = await gcRegistry({ registry, graceSeconds: 0, now: now() })
  assert.equal([kept.bytesFreed, kept.repositories], [0, ['a', 'b']])
  await b.update([{ name: parseRefName('refs/tags/x'), next: null }])
  const dry = await gcRegistry({ registry, graceSeconds: 0, dryRun: true, now: now() })
  assert.is(dry.packsDeleted.length, xPacks)
  assert.ok(dry.bytesFreed > 32768 * 0.9, `the tag's 32 KiB of incompressible data: ${dry.bytesFreed}`)
  assert.ok(await registry.objects.has(cx), 'a dry run deletes nothing')
  const real = await gcRegistry({ registry, graceSeconds: 0, now: now() })
  assert.is(real.bytesFreed, dry.bytesFreed)
  await registry.objects.refresh()
  assert.not.ok(await registry.objects.has(cx))
  for (const id of [ca, cb]) assert.is((await registry.objects.get(id)).kind, 'commit')
})

test("a repository's reflog keeps what its refs no longer reach, until the entries expire", async () => {
  const { registry, a, b, ca } = await setup()
  const as = { objects: registry.objects, refs: a } as unknown as Repository
  await commitFiles(as, { 'disk.img': bytes(4, 32768) }, { ref: 'refs/heads/main' }) // main leaves ca behind
  await b.update([{ name: parseRefName('refs/tags/x'), next: null }])
  const withLogs = await gcRegistry({ registry, graceSeconds: 0, now: now() })
  assert.ok(await registry.objects.has(ca), "a's reflog still names ca")
  assert.is(withLogs.reflogEntriesExpired, 0)
  const expired = await gcRegistry({ registry, graceSeconds: 0, reflogExpireDays: 0, now: now() })
  assert.ok(expired.reflogEntriesExpired > 0)
  await registry.objects.refresh()
  assert.not.ok(await registry.objects.has(ca))
})

test('a ref naming a missing object stops gc before it deletes anything; a bad grace period is refused', async () => {
  const { registry, b, backend } = await setup()
  await b.update([{ name: parseRefName('refs/heads/broken'), next: 'ab'.repeat(32) as never }])
  const keys = async () => { const out: string[] = []; for await (const k of backend.list('')) out.push(k); return out.sort() }
  const before = await keys()
  await gcRegistry({ registry, graceSeconds: 0, now: now() }).then(() => assert.unreachable(), (err) => {
    assert.instance(err, NotFoundError)
    assert.match(err.message, /^b: refs\/heads\/broken names object abab/)
  })
  assert.equal(await keys(), before)
  await gcRegistry({ registry, graceSeconds: -1 }).then(() => assert.unreachable(), (err) => assert.instance(err, InvalidArgumentError))
})

test.run()
