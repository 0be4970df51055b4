import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { type DuEntry, du } from '../../../src/commands/du.js'
import { bytes, commitFiles, memoryRepo, type TestRepo } from './fixture.js'

const test = suite('du')
const K4 = 4096

async function collect(it: AsyncIterable<DuEntry>): Promise<DuEntry[]> {
  const out: DuEntry[] = []
  for await (const e of it) out.push(e)
  return out
}

/** Compressed bytes of every frame in the store: what all objects' estimates must add up to. */
async function frameBytes(repo: TestRepo): Promise<number> {
  let total = 0
  for await (const key of repo.backend.list('packs/')) {
    if (!key.endsWith('.idx')) continue
    const index = repo.objects.packIndex(key.slice('packs/'.length, -'.idx'.length))!
    const frames = new Map<number, number>()
    for (let i = 0; i < index.count; i++) frames.set(index.entry(i).frameOffset, index.entry(i).frameLength)
    for (const n of frames.values()) total += n
  }
  return total
}

test('a root commit adds each distinct chunk once; holes add nothing; the estimates add up to the frames', async () => {
  const repo = memoryRepo()
  const a = bytes(1, K4)
  const disk = Buffer.concat([a, Buffer.alloc(3 * K4), a, bytes(2, K4), bytes(3, 2 * K4)])
  const id = await commitFiles(repo, { 'disk.img': disk, 'config.json': '{"cpu":2}\n' }, { ref: 'refs/heads/main' })
  const [e, ...rest] = await collect(du({ repo }))
  assert.is(rest.length, 0)
  assert.is(e!.id, id)
  // a (once), bytes(2), two chunks of bytes(3), and the config file: 5 chunks.
  assert.is(e!.chunks, 5)
  assert.is(e!.rawBytes, 4 * K4 + 10)
  assert.ok(e!.storedBytes > 0 && e!.storedBytes < e!.rawBytes + 1024, `stored ${e!.storedBytes}`)
  // The commit, its vm tree and one file tree per file.
  assert.is(e!.metadataObjects, 4)
  const total = e!.storedBytes + e!.metadataBytes
  const frames = await frameBytes(repo)
  assert.ok(Math.abs(total - frames) <= e!.chunks + e!.metadataObjects, `estimates ${total}, frames ${frames}`)
})

test('a later commit adds only chunks its parent holds nowhere: a moved block is not new', async () => {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { 'disk.img': Buffer.concat([bytes(1, K4), bytes(2, K4), bytes(3, K4)]) }, { ref: 'refs/heads/main', time: 1 })
  // Block 2 moves to the end, block 1 is rewritten, a new file repeats block 3.
  const c2 = await commitFiles(repo, { 'disk.img': Buffer.concat([bytes(9, K4), bytes(3, K4), bytes(2, K4)]), 'extra.img': bytes(3, K4) }, { ref: 'refs/heads/main', parents: [c1], time: 2 })
  const rows = await collect(du({ repo }))
  assert.equal(rows.map((r) => [r.id, r.chunks, r.rawBytes]), [[c2, 1, K4], [c1, 3, 3 * K4]])
  assert.is(rows[0]!.metadataObjects, 4, 'commit, vm tree, two file trees')
})

test('an unchanged tree adds only its commit; revisions are measured as given, in order; -n limits history', async () => {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { 'disk.img': bytes(1, 2 * K4) }, { ref: 'refs/heads/main', time: 1 })
  const c2 = await commitFiles(repo, { 'disk.img': bytes(1, 2 * K4) }, { ref: 'refs/heads/main', parents: [c1], time: 2 })
  const [same] = await collect(du({ repo, revs: ['HEAD'] }))
  assert.equal([same!.id, same!.chunks, same!.rawBytes, same!.metadataObjects], [c2, 0, 0, 1])
  assert.equal((await collect(du({ repo, revs: [c1, 'main'] }))).map((r) => r.id), [c1, c2])
  assert.equal((await collect(du({ repo, maxCount: 1 }))).map((r) => r.id), [c2])
})

test('a commit with two parents adds nothing that either parent holds', async () => {
  const repo = memoryRepo()
  const p1 = await commitFiles(repo, { 'disk.img': bytes(1, K4) }, { time: 1 })
  const p2 = await commitFiles(repo, { 'disk.img': bytes(2, K4) }, { time: 2 })
  const m = await commitFiles(repo, { 'disk.img': Buffer.concat([bytes(1, K4), bytes(2, K4), bytes(3, K4)]) }, { ref: 'refs/heads/main', parents: [p1, p2], time: 3 })
  const [e] = await collect(du({ repo, revs: [m] }))
  assert.equal([e!.chunks, e!.rawBytes], [1, K4])
})

test('an unknown revision is NotFoundError', async () => {
  const repo = memoryRepo()
  await commitFiles(repo, { 'disk.img': bytes(1, K4) }, { ref: 'refs/heads/main' })
  try {
    await collect(du({ repo, revs: ['nope'] }))
    assert.unreachable('should have thrown')
  } catch (err) {
    assert.is((err as { code?: string }).code, 'ENOTFOUND')
  }
})

test.run()
