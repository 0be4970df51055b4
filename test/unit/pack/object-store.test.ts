import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { MemoryBackend } from '../../../src/store/memory.js'
import { LocalBackend } from '../../../src/store/local.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { hashObjectBytes, idFromBytes, type ObjectId } from '../../../src/objects/id.js'
import { FrameBuilder } from '../../../src/pack/frame.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import { PackIndex, encodePackIndex } from '../../../src/pack/pack-index.js'
import { IndexTable } from '../../../src/pack/index-table.js'
import { NotFoundError, CorruptObjectError } from '../../../src/errors.js'
import { FlakyBackend } from '../../doubles/flaky-backend.js'

function chunk(i: number, size = 10_000): Buffer {
  const b = Buffer.alloc(size)
  for (let j = 0; j < size; j += 4) b.writeUInt32LE((i * 2654435761 + j * 40503) >>> 0, j)
  return b
}

/** Puts n chunks through frames as the import pipeline does; returns their ids. */
async function putChunks(store: ObjectStore, from: number, n: number): Promise<ObjectId[]> {
  const frames = new FrameBuilder()
  const ids: ObjectId[] = []
  const flush = async () => {
    const f = frames.take()
    if (f) await store.putFrame({ data: compressFrame(f.raw), objects: f.objects })
  }
  for (let i = from; i < from + n; i++) {
    const body = chunk(i)
    const id = hashObjectBytes('chunk', body)
    ids.push(idFromBytes(id))
    if (frames.add('chunk', id, body)) await flush()
  }
  await flush()
  return ids
}

test('objects round-trip through frames and packs, before and after flush, and across reopen', async () => {
  const backend = new MemoryBackend()
  const store = new ObjectStore(backend)
  await store.load()
  const ids = await putChunks(store, 0, 500)
  const meta = store.put('commit', Buffer.from('not really a commit'))
  assert.ok((await store.get(ids[3]!)).body.equals(chunk(3)), 'readable before flush')
  assert.ok((await store.get(meta)).body.equals(Buffer.from('not really a commit')))
  await store.flush()
  const again = new ObjectStore(backend)
  for (const i of [0, 250, 499]) assert.ok((await again.get(ids[i]!)).body.equals(chunk(i)))
  assert.is((await again.get(meta)).kind, 'commit')
  assert.equal(await again.missing([ids[0]!, 'f'.repeat(64) as ObjectId]), ['f'.repeat(64)])
  assert.is(again.objectCount, 501)
})

test('a missing object is NotFoundError', async () => {
  const store = new ObjectStore(new MemoryBackend())
  try {
    await store.get('e'.repeat(64) as ObjectId)
    assert.unreachable()
  } catch (err) {
    assert.instance(err, NotFoundError)
  }
})

test('a flipped byte in a pack is found on read (CorruptObjectError), never returned', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-os-'))
  try {
    const store = new ObjectStore(new LocalBackend(root))
    const ids = await putChunks(store, 0, 50)
    await store.flush()
    const pack = fs.readdirSync(path.join(root, 'packs')).find((f) => f.endsWith('.pack'))!
    const file = path.join(root, 'packs', pack)
    const bytes = fs.readFileSync(file)
    for (const at of [8, Math.floor(bytes.length / 2), bytes.length - 5]) {
      const copy = Buffer.from(bytes)
      copy[at]! ^= 0x40
      fs.writeFileSync(file, copy)
      const fresh = new ObjectStore(new LocalBackend(root))
      let failures = 0
      for (const id of ids) {
        try {
          await fresh.get(id)
        } catch (err) {
          assert.instance(err, CorruptObjectError)
          failures++
        }
      }
      assert.ok(failures > 0, `flip at ${at} must be detected`)
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
})

test('pack index: sorted, checksummed, and refuses damage', () => {
  const entries = [3, 1, 2].map((i) => ({ id: hashObjectBytes('chunk', chunk(i)), kind: 'chunk' as const, frameOffset: 8, frameLength: 100, offset: i * 10, length: 10 }))
  const buf = encodePackIndex(entries, Buffer.alloc(32, 7))
  const idx = new PackIndex(buf, 'test index')
  assert.is(idx.count, 3)
  for (const e of entries) assert.is(idx.entry(idx.find(e.id)).offset, e.offset)
  const bad = Buffer.from(buf)
  bad[20]! ^= 1
  assert.throws(() => new PackIndex(bad, 'bad'), (e: Error) => e instanceof CorruptObjectError)
})

test('index table finds every id across many packs and forgets removed packs', () => {
  const table = new IndexTable()
  const all: Buffer[][] = []
  for (let p = 0; p < 40; p++) {
    const ids = Array.from({ length: 300 }, (_, i) => hashObjectBytes('chunk', chunk(p * 1000 + i, 8)))
    all.push(ids)
    table.add(`pack${p}`, new PackIndex(encodePackIndex(ids.map((id, i) => ({ id, kind: 'chunk', frameOffset: 8, frameLength: 1, offset: i, length: 1 })), Buffer.alloc(32)), 'x'))
  }
  assert.is(table.objectCount, 12000)
  for (const [p, ids] of all.entries()) assert.is(table.find(ids[123]!)?.pack, `pack${p}`)
  assert.not.ok(table.has(Buffer.alloc(32, 9)))
  table.remove(['pack3'])
  assert.not.ok(table.has(all[3]![0]!))
  assert.ok(table.has(all[4]![0]!))
})

test('objects of a pack that failed to save are not reported present (FlakyBackend double)', async () => {
  const backend = new FlakyBackend()
  const store = new ObjectStore(backend)
  await store.load()
  const ids = await putChunks(store, 0, 20)
  backend.failSaves = /\.pack$/
  try {
    await store.flush()
    assert.unreachable('flush must fail')
  } catch (err) {
    assert.match(String(err), /EIO/)
  }
  for (const id of ids) assert.not.ok(store.contains(Buffer.from(id, 'hex')), 'an unsaved chunk must not count as stored')
})

test('an object put while flush() is saving is kept for the next flush (FlakyBackend double)', async () => {
  const backend = new FlakyBackend()
  const store = new ObjectStore(backend)
  await store.load()
  store.put('commit', Buffer.from('first'))
  let open!: () => void
  backend.gate = new Promise((r) => (open = r))
  const flushing = store.flush()
  await new Promise((r) => setTimeout(r, 10))
  const late = store.put('commit', Buffer.from('second, during the flush'))
  open()
  await flushing
  backend.gate = undefined
  assert.ok(store.contains(Buffer.from(late, 'hex')))
  await store.flush()
  assert.is((await new ObjectStore(backend).get(late)).body.toString(), 'second, during the flush')
})

test('a frame put with release has its buffer freed once its pack is saved, and stays readable from the pack', async () => {
  const backend = new MemoryBackend()
  const store = new ObjectStore(backend)
  await store.load()
  const body = chunk(7)
  const id = hashObjectBytes('chunk', body)
  const frames = new FrameBuilder()
  frames.add('chunk', id, body)
  const f = frames.take()!
  const handed = compressFrame(f.raw)
  const kept = Buffer.from(handed)
  await store.putFrame({ data: handed, objects: f.objects }, { release: true })
  await store.putFrame({ data: kept, objects: [{ ...f.objects[0]!, id: Buffer.alloc(32, 1) }] })
  assert.ok((await store.get(idFromBytes(id))).body.equals(body), 'readable while its pack is unsaved')
  assert.is(handed.buffer.byteLength > 0, true, 'not freed before the save')
  await store.flush()
  assert.is(handed.buffer.byteLength, 0, 'freed after the save')
  assert.is(kept.buffer.byteLength > 0, true, 'a frame put without release is left alone')
  assert.ok((await new ObjectStore(backend).get(idFromBytes(id))).body.equals(body))
})

test.run()
