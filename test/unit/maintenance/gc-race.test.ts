/**
 * gc reads the roots again before it deletes: a ref moved during gc onto objects that were
 * unreachable when gc started (a tag pushed again right after its deletion, which uploads nothing
 * because the store still holds every object) keeps them. HookBackend is a test double that runs a
 * callback at gc's first stat, just after gc has read its roots.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { gcRegistry } from '../../../src/commands/gc.js'
import { collectGarbage } from '../../../src/maintenance/collect-garbage.js'
import { collectRoots } from '../../../src/maintenance/roots.js'
import { MemoryRegistry } from '../../../src/daemon/memory-registry.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import type { AbortOptions } from '../../../src/options.js'
import type { ObjectId } from '../../../src/objects/id.js'
import type { Repository } from '../../../src/repository.js'
import { bytes, commitFiles } from '../commands/fixture.js'

class HookBackend extends MemoryBackend {
  onStat?: () => Promise<unknown>
  override async stat(key: string, opts?: AbortOptions) {
    const hook = this.onStat
    this.onStat = undefined
    await hook?.()
    return super.stat(key, opts)
  }
}

/** A registry on backend with one repository, 'vm', whose main branch has one commit. */
async function registryWithMain(backend: MemoryBackend) {
  const registry = new MemoryRegistry(new ObjectStore(backend))
  const refs = await registry.create('vm')
  const repo = { objects: registry.objects, refs } as unknown as Repository
  await commitFiles(repo, { 'disk.img': bytes(2, 32768) }, { ref: 'refs/heads/main' })
  return { registry, refs, repo }
}

test('a tag pushed again while gc runs keeps what it names', async () => {
  const backend = new HookBackend()
  const { registry, refs, repo } = await registryWithMain(backend)
  const tagged = await commitFiles(repo, { 'disk.img': bytes(3, 32768) }, { ref: 'refs/tags/x' })
  const tag = parseRefName('refs/tags/x')
  await refs.update([{ name: tag, next: null }])
  backend.onStat = () => refs.update([{ name: tag, next: tagged, expect: null }])
  const r = await gcRegistry({ registry, graceSeconds: 0, now: Date.now() + 1000 })
  await registry.objects.refresh()
  assert.is(await refs.read(tag), tagged)
  assert.ok(await registry.objects.has(tagged), 'the commit the tag names is still stored')
  assert.is(r.bytesFreed, 0)
})

test('without the re-push, the deleted tag is freed (the test above can fail)', async () => {
  const { registry, refs, repo } = await registryWithMain(new MemoryBackend())
  const tagged = await commitFiles(repo, { 'disk.img': bytes(3, 32768) }, { ref: 'refs/tags/x' })
  await refs.update([{ name: parseRefName('refs/tags/x'), next: null }])
  const r = await gcRegistry({ registry, graceSeconds: 0, now: Date.now() + 1000 })
  await registry.objects.refresh()
  assert.not.ok(await registry.objects.has(tagged))
  assert.ok(r.bytesFreed > 0)
})

test('a commit by another process on the shared store, its ref moved after gc loaded the store, is kept, not reported missing', async () => {
  const backend = new MemoryBackend()
  const { registry, refs } = await registryWithMain(backend)
  // The other writer has a store of its own on the same backend, as another process has.
  const other = { objects: new ObjectStore(backend), refs } as unknown as Repository
  let late: ObjectId | undefined
  const r = await collectGarbage({
    store: registry.objects,
    graceSeconds: 0,
    now: Date.now() + 1000,
    roots: async () => {
      late ??= await commitFiles(other, { 'disk.img': bytes(4, 32768) }, { ref: 'refs/heads/late' })
      return collectRoots(refs)
    },
  })
  assert.ok(late)
  assert.ok(await registry.objects.has(late!), 'the late commit is still stored')
  assert.is(r.bytesFreed, 0)
})

test('an abort during the last look gives every hidden index back: nothing is hidden or deleted', async () => {
  const backend = new MemoryBackend()
  const { registry, refs, repo } = await registryWithMain(backend)
  await commitFiles(repo, { 'disk.img': bytes(5, 32768) }, { ref: 'refs/tags/gone' })
  await refs.update([{ name: parseRefName('refs/tags/gone'), next: null }])
  const keys = async () => {
    const out: string[] = []
    for await (const k of backend.list('packs/')) out.push(k)
    return out.sort()
  }
  const before = await keys()
  const abort = new AbortController()
  let looks = 0
  const gc = collectGarbage({
    store: registry.objects,
    graceSeconds: 0,
    now: Date.now() + 1000,
    signal: abort.signal,
    roots: async () => {
      // The third look comes after gc has hidden the doomed packs' indexes (rule 4).
      if (++looks === 3) abort.abort()
      return collectRoots(refs, { signal: abort.signal })
    },
  })
  await gc.then(() => assert.unreachable('gc must stop'), (err: unknown) => assert.instance(err, Error))
  assert.is(looks, 3, 'gc reached its last look, with packs hidden')
  assert.equal(await keys(), before, 'every pack and every index is still there')
})

test.run()
