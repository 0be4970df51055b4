import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fsck } from '../../../src/commands/fsck.js'
import { indexKey, packKey } from '../../../src/objects/object-store.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { readCommit } from '../../../src/objects/read.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import { hashObject } from '../../../src/objects/id.js'
import { bytes, commitFiles, flipByte, memoryRepo } from './fixture.js'

const test = suite('fsck')

/** main: c1 <- c2 (each with its own data and metadata pack). */
async function setup() {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { 'disk.img': bytes(1, 40000), 'config.json': 'a' }, { ref: 'refs/heads/main' })
  const c2 = await commitFiles(repo, { 'disk.img': bytes(2, 40000), 'config.json': 'b' }, { ref: 'refs/heads/main', parents: [c1] })
  return { repo, c1, c2 }
}

/** A fresh view of the same store and refs, as a new process would have. */
function reopen(repo: Awaited<ReturnType<typeof setup>>['repo']) {
  return { ...repo, objects: new ObjectStore(repo.backend) }
}

function dataPackOf(repo: Awaited<ReturnType<typeof setup>>['repo'], chunkSeed: number): string {
  return repo.objects.locate(hashObject('chunk', bytes(chunkSeed, 40000).subarray(0, 4096)))!.pack
}

test('an intact repository passes, every pack and reachable object counted', async () => {
  const { repo } = await setup()
  const r = await fsck({ repo })
  assert.is(r.ok, true)
  assert.equal(r.problems, [])
  assert.is(r.packs, 4)
  // Per commit: 10 chunks, 1 file node for disk.img, 1 for config.json, 1 chunk for config.json, a vm tree, the commit.
  assert.is(r.objects, 2 * 15)
  assert.is(r.metadataObjects, 2 * 4)
  assert.is(r.chunkRefs, 2 * 11)
  assert.ok(r.roots >= 1)
})

test('a flipped byte anywhere in a pack is found: header, frame data, last byte', async () => {
  for (const offset of [1, 7, 8, 40, 2000, -1]) {
    const { repo } = await setup()
    const pack = dataPackOf(repo, 2)
    await flipByte(repo.backend, packKey(pack), offset)
    const r = await fsck({ repo: reopen(repo) })
    assert.is(r.ok, false, `offset ${offset}`)
    assert.ok(r.problems.some((p) => p.kind === 'corrupt-pack' && p.pack === pack && /its bytes hash to/.test(p.message)), `offset ${offset}: pack hash`)
    for (const p of r.problems) assert.not.match(p.message, /\n/)
  }
})

test('damage inside frame data is traced to the objects and the ref that reaches them', async () => {
  const { repo } = await setup()
  const pack = dataPackOf(repo, 2)
  await flipByte(repo.backend, packKey(pack), 8 + 3) // inside the first frame's zstd header
  const r = await fsck({ repo: reopen(repo) })
  assert.ok(r.problems.some((p) => p.kind === 'corrupt-pack' && / at 8 is corrupt/.test(p.message)))
  assert.ok(r.problems.some((p) => p.kind === 'corrupt-object' && p.from === 'refs/heads/main' && /reachable from refs\/heads\/main/.test(p.message)))
})

test('a flipped byte in an index is found, and its objects are reported missing from the refs', async () => {
  for (const offset of [0, 5, 20, -40, -1]) {
    const { repo } = await setup()
    const pack = dataPackOf(repo, 1)
    await flipByte(repo.backend, indexKey(pack), offset)
    const r = await fsck({ repo: reopen(repo) })
    assert.ok(r.problems.some((p) => p.kind === 'corrupt-index' && p.message.startsWith(`index of pack ${pack} is corrupt`)), `offset ${offset}`)
    assert.ok(r.problems.some((p) => p.kind === 'missing-object' && /reachable from refs\/heads\/main/.test(p.message)), `offset ${offset}`)
  }
})

test('a missing pack file is reported, and so is every reachable object it held', async () => {
  const { repo } = await setup()
  const pack = dataPackOf(repo, 1)
  await repo.backend.remove(packKey(pack))
  const r = await fsck({ repo: reopen(repo) })
  assert.ok(r.problems.some((p) => p.kind === 'missing-pack' && p.message === `pack ${pack} is missing (its index lists 11 objects)`))
  // 10 chunks of disk.img and the one of config.json, all reachable from main.
  assert.is(r.problems.filter((p) => p.kind === 'missing-object').length, 11)
})

test('an object missing altogether names the ref it is reachable from, also through a reflog', async () => {
  const { repo, c1 } = await setup()
  const side = await commitFiles(repo, { x: bytes(7, 100) }, { parents: [c1], ref: 'refs/heads/x', message: 'side' })
  await repo.refs.update([{ name: parseRefName('refs/heads/x'), next: c1 }])
  const tree = (await readCommit(repo.objects, side)).tree
  const meta = repo.objects.locate(tree)!.pack
  await repo.backend.remove(indexKey(meta))
  await repo.backend.remove(packKey(meta))
  const r = await fsck({ repo: reopen(repo) })
  assert.is(r.ok, false)
  assert.equal(r.problems.map((p) => [p.kind, p.id, p.from]), [['missing-object', side, 'refs/heads/x@{1}']])
})

test('a pack without an index is a notice, not a problem', async () => {
  const { repo } = await setup()
  await repo.backend.save(packKey('cd'.repeat(32)), Buffer.from('AKPK'))
  const r = await fsck({ repo: reopen(repo) })
  assert.is(r.ok, true)
  assert.equal(r.notices.length, 1)
  assert.match(r.notices[0]!, /has no index/)
})

test.run()
