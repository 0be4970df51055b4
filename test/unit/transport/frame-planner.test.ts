import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { materialize, planShipments, shipFrames, type Shipment } from '../../../src/transport/frame-planner.js'
import { FramePool } from '../../../src/pack/frame-pool.js'
import { verifyFrame } from '../../../src/pack/verify-frame.js'
import { hashObjectBytes, idToBytes, type ObjectId } from '../../../src/objects/id.js'
import { readBundleFiles, readCommit } from '../../../src/objects/read.js'
import { fileExtents } from '../../../src/objects/file-extents.js'
import { FrameBuilder } from '../../../src/pack/frame.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import type { ObjectStore } from '../../../src/objects/object-store.js'
import { CHUNK, commitFiles, memoryRepo, noise } from './fixtures.js'

const test = suite('frame planner')
const pool = new FramePool(0)

/** Chunk ids of a one-file commit, in file order. */
async function chunksOf(store: ObjectStore, commit: ObjectId): Promise<Buffer[]> {
  const [file] = [...(await readBundleFiles(store, (await readCommit(store, commit)).tree)).values()]
  const out: Buffer[] = []
  for await (const e of fileExtents(store, file!.id)) if (e.kind === 'chunk') out.push(idToBytes(e.id))
  return out
}

async function plan(store: ObjectStore, ids: Buffer[]): Promise<Shipment[]> {
  const out: Shipment[] = []
  for await (const s of planShipments(store, ids)) out.push(s)
  return out
}

// 256 chunks of 16 KiB: two stored frames of 128 chunks (2 MiB raw each).
const setup = async () => {
  const { objects } = memoryRepo()
  const commit = await commitFiles(objects, { 'disk.img': noise(256 * CHUNK, 21) })
  return { objects, chunks: await chunksOf(objects, commit) }
}

test('wanting whole frames ships the stored frames unchanged', async () => {
  const { objects, chunks } = await setup()
  const shipments = await plan(objects, chunks)
  assert.equal(shipments.map((s) => [s.type, s.objects.length]), [['stored', 128], ['stored', 128]])
  const f = await materialize(objects, shipments[0]!, { pool })
  const loc = objects.locate(chunks[0]!.toString('hex') as ObjectId)!
  assert.ok(f.data.equals(await objects.frameBytes(loc)), 'the stored bytes, as stored')
})

test('most of a frame goes whole; a little of it is re-framed', async () => {
  const { objects, chunks } = await setup()
  assert.equal((await plan(objects, chunks.slice(0, 80))).map((s) => [s.type, s.objects.length]), [['stored', 128]])
  const few = [chunks[3]!, chunks[140]!, chunks[200]!]
  const shipments = await plan(objects, few)
  assert.equal(shipments.map((s) => [s.type, s.objects.length]), [['reframe', 3]])
  const f = await materialize(objects, shipments[0]!, { pool })
  const raw = verifyFrame(f.data, f.objects, 'reframed')
  assert.is(raw.length, 3 * CHUNK)
  assert.equal(f.objects.map((o) => o.id.toString('hex')).sort(), few.map((c) => c.toString('hex')).sort())
  assert.ok(f.data.length < 3 * CHUNK + 1024, 'only the wanted bodies travel')
})

test('objects not yet in a saved pack are taken from memory', async () => {
  const { objects } = memoryRepo()
  await objects.load()
  const body = noise(CHUNK, 22)
  const id = hashObjectBytes('chunk', body)
  const frames = new FrameBuilder()
  frames.add('chunk', id, body)
  const raw = frames.take()!
  await objects.putFrame({ data: compressFrame(raw.raw), objects: raw.objects })
  const shipments = await plan(objects, [id])
  assert.is(shipments[0]!.type, 'reframe')
  const f = await materialize(objects, shipments[0]!, { pool })
  assert.ok(verifyFrame(f.data, f.objects, 'x').equals(body))
})

test('shipFrames yields verified-good frames in plan order and covers every id', async () => {
  const { objects, chunks } = await setup()
  const wanted = [...chunks.slice(0, 128), chunks[130]!]
  const seen = new Set<string>()
  for await (const f of shipFrames(objects, wanted, { pool })) {
    verifyFrame(f.data, f.objects, 'f')
    for (const o of f.objects) seen.add(o.id.toString('hex'))
  }
  for (const c of wanted) assert.ok(seen.has(c.toString('hex')))
  assert.is(seen.size, 129)
})

test.run()
