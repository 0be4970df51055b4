import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { metadataDelta, type DeltaObject } from '../../../src/transport/metadata-delta.js'
import type { ObjectId } from '../../../src/objects/id.js'
import { hashObject } from '../../../src/objects/id.js'
import { commitFiles, memoryRepo, metadataOf, noise, tagObject } from './fixtures.js'
import { NotFoundError } from '../../../src/errors.js'
import type { ObjectStore } from '../../../src/objects/object-store.js'

const test = suite('metadataDelta')
// 1 KiB chunks make a 4 MiB disk a tree of ~16 leaves under an interior root.
const SMALL = 1024

async function delta(store: ObjectStore, wants: ObjectId[], haves: ObjectId[]): Promise<DeltaObject[]> {
  const out: DeltaObject[] = []
  for await (const o of metadataDelta(store, wants, haves)) out.push(o)
  return out
}

function diff(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter((x) => !b.has(x)))
}

test('an in-place change sends the new commit, tree and only the changed path of the file tree', async () => {
  const { objects } = memoryRepo()
  const v1disk = noise(4 << 20, 1)
  const v1 = await commitFiles(objects, { 'disk.img': v1disk, 'config.json': Buffer.from('{"cpu":2}') }, [], 'v1\n', SMALL)
  const v2disk = Buffer.from(v1disk)
  v2disk.fill(7, 2_000_000, 2_000_100)
  const v2 = await commitFiles(objects, { 'disk.img': v2disk, 'config.json': Buffer.from('{"cpu":2}') }, [v1], 'v2\n', SMALL)
  const got = await delta(objects, [v2], [v1])
  const expected = diff(await metadataOf(objects, [v2]), await metadataOf(objects, [v1]))
  assert.equal(new Set(got.map((o) => o.id)), expected)
  assert.ok(expected.size <= 5, `a small delta: ${expected.size}`)
  assert.ok((await metadataOf(objects, [v2])).size > 15, 'while the whole tree is larger')
  assert.equal(got.filter((o) => o.kind === 'commit').map((o) => o.id), [v2])
  for (const o of got) assert.is(hashObject(o.kind, o.body), o.id)
})

test('without haves everything reachable is sent, history included', async () => {
  const { objects } = memoryRepo()
  const v1 = await commitFiles(objects, { a: noise(64 << 10, 2) }, [], 'v1\n', SMALL)
  const v2 = await commitFiles(objects, { a: noise(64 << 10, 3) }, [v1], 'v2\n', SMALL)
  const got = await delta(objects, [v2], [])
  assert.equal(new Set(got.map((o) => o.id)), await metadataOf(objects, [v2]))
})

test('ancestors of a have are never sent, even past a merge', async () => {
  const { objects } = memoryRepo()
  const base = await commitFiles(objects, { a: noise(8 << 10, 4) }, [], 'base\n', SMALL)
  const side = await commitFiles(objects, { a: noise(8 << 10, 5) }, [base], 'side\n', SMALL)
  const have = await commitFiles(objects, { a: noise(8 << 10, 6) }, [base], 'have\n', SMALL)
  const merge = await commitFiles(objects, { a: noise(8 << 10, 7) }, [have, side], 'merge\n', SMALL)
  const commits = (await delta(objects, [merge], [have])).filter((o) => o.kind === 'commit').map((o) => o.id)
  assert.equal(new Set(commits), new Set([merge, side]))
})

test('annotated tags are sent with what they name', async () => {
  const { objects } = memoryRepo()
  const v1 = await commitFiles(objects, { a: noise(8 << 10, 8) }, [], 'v1\n', SMALL)
  const tag = await tagObject(objects, v1, 'v1')
  const got = await delta(objects, [tag], [])
  assert.equal(got.slice(0, 2).map((o) => [o.kind, o.id]), [['tag', tag], ['commit', v1]])
  assert.is((await delta(objects, [tag], [v1])).length, 1, 'only the tag when the commit is common')
})

test('a want already reachable from the haves yields nothing', async () => {
  const { objects } = memoryRepo()
  const v1 = await commitFiles(objects, { a: noise(8 << 10, 9) }, [], 'v1\n', SMALL)
  const v2 = await commitFiles(objects, { a: noise(8 << 10, 10) }, [v1], 'v2\n', SMALL)
  assert.equal(await delta(objects, [v1], [v2]), [])
})

test('haves the store lacks are ignored; a missing want is NotFoundError', async () => {
  const { objects } = memoryRepo()
  const v1 = await commitFiles(objects, { a: noise(8 << 10, 11) }, [], 'v1\n', SMALL)
  const ghost = hashObject('commit', Buffer.from('ghost'))
  assert.equal(new Set((await delta(objects, [v1], [ghost])).map((o) => o.id)), await metadataOf(objects, [v1]))
  try {
    await delta(objects, [ghost], [])
    assert.unreachable()
  } catch (err) {
    assert.instance(err, NotFoundError)
  }
})

test('files shared with the have side are skipped whole, even under another name', async () => {
  const { objects } = memoryRepo()
  const shared = noise(256 << 10, 12)
  const v1 = await commitFiles(objects, { 'a.img': shared }, [], 'v1\n', SMALL)
  const v2 = await commitFiles(objects, { 'b.img': shared, 'c.txt': Buffer.from('new') }, [], 'unrelated\n', SMALL)
  const got = await delta(objects, [v2], [v1])
  const files = got.filter((o) => o.kind === 'file')
  assert.is(files.length, 1, 'only the new small file')
})

test.run()
