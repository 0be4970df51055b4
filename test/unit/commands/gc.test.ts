import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { gc } from '../../../src/commands/gc.js'
import { fsck } from '../../../src/commands/fsck.js'
import { NotFoundError } from '../../../src/errors.js'
import { ObjectStore, indexKey, packKey } from '../../../src/objects/object-store.js'
import { hashObject } from '../../../src/objects/id.js'
import { readCommit } from '../../../src/objects/read.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import { LocalBackend } from '../../../src/store/local.js'
import { ClockedBackend, type TestRepo, bytes, commitFiles, memoryRepo } from './fixture.js'

const test = suite('gc')
const HOUR = 3600_000

const chunkId = (seed: number, i = 0, size = 32768) => hashObject('chunk', bytes(seed, size).subarray(i * 4096, (i + 1) * 4096))
const ref = (name: string) => parseRefName(name)

async function packKeys(repo: TestRepo): Promise<string[]> {
  const out: string[] = []
  for await (const k of repo.backend.list('packs/')) out.push(k)
  return out.sort()
}

/** main: c1 <- c2; branch x (never HEAD's): a side commit with data of its own. All written at clock 0. */
async function setup() {
  const backend = new ClockedBackend()
  const repo = memoryRepo(backend)
  const c1 = await commitFiles(repo, { 'disk.img': bytes(1, 32768) }, { ref: 'refs/heads/main' })
  const c2 = await commitFiles(repo, { 'disk.img': bytes(2, 32768) }, { ref: 'refs/heads/main', parents: [c1] })
  const side = await commitFiles(repo, { 'disk.img': bytes(3, 32768) }, { ref: 'refs/heads/x', parents: [c1] })
  return { repo, backend, c1, c2, side }
}

test('everything reachable from refs, HEAD and reflogs is kept', async () => {
  const { repo } = await setup()
  const before = await packKeys(repo)
  const r = await gc({ repo, graceSeconds: 0, now: HOUR })
  assert.equal([r.packsDeleted, r.packsRewritten, r.bytesFreed], [[], [], 0])
  assert.equal(await packKeys(repo), before)
  assert.is((await fsck({ repo: { ...repo, objects: new ObjectStore(repo.backend) } })).ok, true)
})

test("a deleted branch's unique data is freed; what main reaches stays readable", async () => {
  const { repo, c2, side } = await setup()
  const sideData = repo.objects.locate(chunkId(3))!.pack
  const sideMeta = repo.objects.locate(side)!.pack
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }])
  const r = await gc({ repo, graceSeconds: 0, now: HOUR })
  assert.equal(r.packsDeleted.map((p) => p.name).sort(), [sideData, sideMeta].sort())
  assert.is(r.objectsRemoved, 8 + 3)
  const fresh = new ObjectStore(repo.backend)
  assert.is(await fresh.has(chunkId(3)), false)
  assert.is(await fresh.has(side), false)
  assert.ok((await fresh.get(chunkId(1))).body.equals(bytes(1, 32768).subarray(0, 4096)))
  assert.is((await readCommit(fresh, c2)).parents.length, 1)
  assert.is((await fsck({ repo: { ...repo, objects: fresh } })).ok, true)
})

test('a long-lived store (a daemon\'s) stops answering has() for objects gc removed once it refreshes', async () => {
  const { repo } = await setup()
  const daemon = new ObjectStore(repo.backend)
  await daemon.load()
  assert.ok(await daemon.has(chunkId(3)))
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }])
  await gc({ repo, graceSeconds: 0, now: HOUR })
  assert.equal(await daemon.missing([chunkId(3), chunkId(1)]), [chunkId(3)])
  assert.is(await daemon.has(chunkId(3)), false)
})

test('a dry run reports exactly what the real run then frees, and changes nothing', async () => {
  const { repo } = await setup()
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }])
  const before = await packKeys(repo)
  const dry = await gc({ repo, graceSeconds: 0, now: HOUR, dryRun: true })
  assert.equal(await packKeys(repo), before)
  assert.ok(dry.bytesFreed > 0)
  const real = await gc({ repo, graceSeconds: 0, now: HOUR })
  assert.equal({ ...dry, dryRun: false }, real)
})

test('packs younger than the grace period are never touched', async () => {
  const { repo } = await setup()
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }])
  const before = await packKeys(repo)
  const r = await gc({ repo, graceSeconds: 3600, now: HOUR - 1 })
  assert.is(r.youngPacks, before.length / 2)
  assert.equal(await packKeys(repo), before)
  const later = await gc({ repo, graceSeconds: 3600, now: HOUR })
  assert.is(later.packsDeleted.length, 2)
})

test('trees in young packs keep the old chunks they name, although no ref reaches them yet', async () => {
  const { repo, backend, c1 } = await setup()
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }])
  // A commit in flight: it reuses the dead branch's chunks, its packs are written, its ref not yet moved.
  backend.clock = 2 * HOUR
  await commitFiles(repo, { 'disk.img': bytes(3, 32768), other: 'new' }, { parents: [c1] })
  const r = await gc({ repo, graceSeconds: 3600, now: 2 * HOUR + 1 })
  assert.is(r.youngPacks, 2)
  const fresh = new ObjectStore(repo.backend)
  for (let i = 0; i < 8; i++) assert.ok(await fresh.has(chunkId(3, i)), `chunk ${i} kept`)
  // The new commit also reuses the dead commit's file tree node, so that metadata pack stays too.
  assert.equal(r.packsDeleted, [])
})

test('a pack with many dead frames is rewritten: live frames copied, dead ones dropped', async () => {
  const backend = new ClockedBackend()
  const repo = memoryRepo(backend)
  // One data pack of 4 frames (8 chunks of 4 KiB, 2 to a frame); main keeps the first two frames only.
  const big = await commitFiles(repo, { 'disk.img': bytes(5, 32768) }, { ref: 'refs/heads/x' })
  const dataPack = repo.objects.locate(chunkId(5))!.pack
  const half = bytes(5, 32768).subarray(0, 16384)
  await commitFiles(repo, { 'disk.img': half }, { ref: 'refs/heads/main' })
  assert.is(repo.objects.locate(chunkId(5, 7))!.pack, dataPack)
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }])
  const reader = new ObjectStore(backend) // loaded before gc, like a concurrent checkout
  await reader.load()

  const dry = await gc({ repo, graceSeconds: 0, now: HOUR, dryRun: true })
  const r = await gc({ repo, graceSeconds: 0, now: HOUR })
  assert.equal(r.packsRewritten.map((p) => [p.name, p.objects, p.liveObjects]), [[dataPack, 8, 4]])
  assert.is(r.packsWritten.length, 1)
  assert.is(r.packsWritten[0]!.bytes, dry.packsWritten[0]!.bytes, 'the dry run predicted the new pack exactly')
  assert.is(r.bytesFreed, dry.bytesFreed)
  assert.ok(!(await packKeys(repo)).includes(packKey(dataPack)))
  const fresh = new ObjectStore(backend)
  for (let i = 0; i < 4; i++) assert.ok((await fresh.get(chunkId(5, i))).body.equals(half.subarray(i * 4096, (i + 1) * 4096)))
  for (let i = 4; i < 8; i++) assert.is(await fresh.has(chunkId(5, i)), false)
  assert.is(await fresh.has(big), false)
  // The reader's index still names the old pack: it reloads and finds the object in the new one.
  assert.ok((await reader.get(chunkId(5, 1))).body.equals(half.subarray(4096, 8192)))
  assert.is((await fsck({ repo: { ...repo, objects: fresh } })).ok, true)
})

test('a pack that a commit made during gc reuses is kept at the final check', async () => {
  const backend = new ClockedBackend()
  const repo = memoryRepo(backend)
  await commitFiles(repo, { 'disk.img': bytes(5, 32768) }, { ref: 'refs/heads/x' })
  await commitFiles(repo, { 'disk.img': bytes(5, 32768).subarray(0, 16384) }, { ref: 'refs/heads/main' })
  const y = await commitFiles(repo, { 'disk.img': bytes(8, 32768) }, { ref: 'refs/heads/y' })
  const deadPack = repo.objects.locate(chunkId(8))!.pack
  const deadMeta = repo.objects.locate(y)!.pack
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }, { name: ref('refs/heads/y'), next: null }])
  // While gc saves its rewritten pack, another process commits a VM holding y's old data.
  let concurrent
  backend.beforeNextSave = async () => {
    backend.clock = 2 * HOUR
    concurrent = await commitFiles({ ...repo, objects: new ObjectStore(backend) }, { 'disk.img': bytes(8, 32768), more: 'x' })
  }
  const r = await gc({ repo, graceSeconds: 0, now: HOUR })
  assert.ok(concurrent, 'the concurrent commit ran during gc')
  assert.is(r.packsRewritten.length, 1)
  // y's data, and y's metadata pack too: the new commit reuses its file tree node.
  assert.equal(r.packsKeptAtRecheck.sort(), [deadPack, deadMeta].sort())
  assert.ok(!r.packsDeleted.some((p) => p.name === deadPack))
  const fresh = new ObjectStore(backend)
  for (let i = 0; i < 8; i++) assert.ok(await fresh.has(chunkId(8, i)))
  assert.is((await fsck({ repo: { ...repo, objects: fresh } })).ok, true)
})

test('a pack with few dead frames is kept as it is', async () => {
  const repo = memoryRepo(new ClockedBackend())
  await commitFiles(repo, { 'disk.img': bytes(6, 32768) }, { ref: 'refs/heads/x' })
  const dataPack = repo.objects.locate(chunkId(6))!.pack
  await commitFiles(repo, { 'disk.img': bytes(6, 32768).subarray(0, 28672) }, { ref: 'refs/heads/main' })
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }])
  const r = await gc({ repo, graceSeconds: 0, now: HOUR })
  assert.equal(r.packsRewritten, [])
  assert.ok((await packKeys(repo)).includes(packKey(dataPack)))
})

test('a missing object a ref reaches stops gc before it deletes anything', async () => {
  const { repo, c2 } = await setup()
  await repo.refs.update([{ name: ref('refs/heads/x'), next: null }])
  const data = repo.objects.locate(chunkId(2))!.pack
  await repo.backend.remove(indexKey(data))
  await repo.backend.remove(packKey(data))
  const before = await packKeys(repo)
  await gc({ repo: { ...repo, objects: new ObjectStore(repo.backend) }, graceSeconds: 0, now: HOUR }).then(
    () => assert.unreachable('gc must refuse'),
    (err) => {
      assert.instance(err, NotFoundError)
      assert.match(err.message, /reachable from refs\/heads\/main, is missing; run 'ankagit fsck'/)
    },
  )
  assert.equal(await packKeys(repo), before)
  assert.ok(c2)
})

test('old packs without an index and old temp files are removed, young ones kept', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-gc-'))
  try {
    const base = memoryRepo()
    const repo = { ...base, objects: new ObjectStore(new LocalBackend(root)) }
    await commitFiles(repo, { a: 'hello' }, { ref: 'refs/heads/main' })
    const old = Date.now() / 1000 - 7200
    const write = (rel: string, n: number, aged: boolean) => {
      const p = path.join(root, rel)
      fs.mkdirSync(path.dirname(p), { recursive: true })
      fs.writeFileSync(p, Buffer.alloc(n))
      if (aged) fs.utimesSync(p, old, old)
    }
    write(`packs/${'ab'.repeat(32)}.pack`, 100, true)
    write(`packs/${'cd'.repeat(32)}.pack`, 50, false)
    write('tmp/a.pack.1.tmp', 7, true)
    write('tmp/b.pack.2.tmp', 9, false)
    for (const f of fs.readdirSync(path.join(root, 'packs'))) if (/^[0-9a-f]{64}\.(pack|idx)$/.test(f) && !f.startsWith('abab') && !f.startsWith('cdcd')) fs.utimesSync(path.join(root, 'packs', f), old, old)
    const r = await gc({ repo, graceSeconds: 3600 })
    assert.equal(r.unindexedPacksRemoved, [{ name: 'ab'.repeat(32), bytes: 100 }])
    assert.equal(r.debrisRemoved, [{ name: 'a.pack.1.tmp', bytes: 7 }])
    assert.is(r.bytesFreed, 107)
    assert.ok(!fs.existsSync(path.join(root, 'packs', `${'ab'.repeat(32)}.pack`)))
    assert.ok(fs.existsSync(path.join(root, 'packs', `${'cd'.repeat(32)}.pack`)))
    assert.equal(fs.readdirSync(path.join(root, 'tmp')), ['b.pack.2.tmp'])
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
})

test('an invalid grace period is refused', async () => {
  const { repo } = await setup()
  await gc({ repo, graceSeconds: -1 }).then(() => assert.unreachable(), (err) => assert.match(err.message, /invalid grace period/))
})

test.run()
