import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { collectRoots } from '../../../src/maintenance/roots.js'
import { MemoryRefStore } from '../../../src/refs/memory-ref-store.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import type { ObjectId } from '../../../src/objects/id.js'

const test = suite('collectRoots')
const id = (c: string) => c.repeat(64) as ObjectId

test('refs, then HEAD, then every reflog id, each once, named as git names them', async () => {
  const refs = new MemoryRefStore()
  await refs.update([{ name: parseRefName('refs/heads/main'), next: id('a') }])
  await refs.update([{ name: parseRefName('refs/heads/main'), next: id('b') }])
  await refs.update([{ name: parseRefName('refs/tags/t'), next: id('c') }])
  await refs.update([{ name: parseRefName('refs/tags/t'), next: id('d') }])
  await refs.writeHead({ id: id('e') })
  const roots = await collectRoots(refs)
  assert.equal(roots.map((r) => [r.id[0], r.from]), [
    ['b', 'refs/heads/main'],
    ['d', 'refs/tags/t'],
    ['e', 'HEAD'],
    ['a', 'HEAD@{2}'],
    ['c', 'refs/tags/t@{1}'],
  ])
  const labelled = await collectRoots(refs, { label: '/vms/a' })
  assert.is(labelled[0]!.from, '/vms/a: refs/heads/main')
})

test('a deleted ref leaves no root behind', async () => {
  const refs = new MemoryRefStore()
  await refs.update([{ name: parseRefName('refs/heads/x'), next: id('a') }])
  await refs.update([{ name: parseRefName('refs/heads/x'), next: null }])
  assert.equal(await collectRoots(refs), [])
})

test.run()
