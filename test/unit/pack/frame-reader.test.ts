import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { FrameReader } from '../../../src/pack/frame-reader.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import type { LoadOptions } from '../../../src/store/backend.js'
import type { ObjectId } from '../../../src/objects/id.js'
import { CHUNK, commitFiles, noise } from '../transport/fixtures.js'

const test = suite('FrameReader')

class CountingBackend extends MemoryBackend {
  packLoads = 0
  override async load(key: string, opts?: LoadOptions): Promise<Buffer> {
    if (key.endsWith('.pack')) this.packLoads++
    return super.load(key, opts)
  }
}

test('frames read in order come from windows; byte-identical to frameBytes', async () => {
  const backend = new CountingBackend()
  const store = new ObjectStore(backend)
  await commitFiles(store, { 'disk.img': noise(512 * CHUNK, 91) })
  const pack = store.packNames().map((n) => store.packIndex(n)!).sort((a, b) => b.count - a.count)[0]!
  const frames = new Map<number, ObjectId>()
  for (let i = 0; i < pack.count; i++) frames.set(pack.entry(i).frameOffset, pack.entry(i).id.toString('hex') as ObjectId)
  assert.ok(frames.size >= 4, `frames: ${frames.size}`)
  const locs = [...frames.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => store.locate(id)!)
  const expected = await Promise.all(locs.map((l) => store.frameBytes(l)))
  backend.packLoads = 0
  // Noise does not compress: four 2 MiB frames need a window a little over 8 MiB.
  const reader = new FrameReader(store, 16 << 20)
  const got = await Promise.all(locs.map((l) => reader.read(l)))
  got.forEach((b, i) => assert.ok(b.equals(expected[i]!), `frame ${i}`))
  assert.is(backend.packLoads, 2, 'the first frame alone, then one window for the rest')
  await reader.read(locs[2]!)
  assert.is(backend.packLoads, 2, 'a frame inside the window is served from it')
  backend.packLoads = 0
  const jumpy = new FrameReader(store, 16 << 20)
  for (const i of [3, 0, 2, 1]) assert.ok((await jumpy.read(locs[i]!)).equals(expected[i]!))
  assert.is(backend.packLoads, 4, 'frames out of order are read alone, without windows')
})

test.run()
