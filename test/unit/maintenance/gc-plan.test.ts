import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { MemoryBackend } from '../../../src/store/memory.js'
import { PACK_TARGET, PackWriter } from '../../../src/pack/pack-writer.js'
import { type PackDecision, estimateNewPacks } from '../../../src/maintenance/gc-plan.js'
import { hashObjectBytes } from '../../../src/objects/id.js'

const test = suite('estimateNewPacks')

test('predicts the sizes PackWriter writes, also across PACK_TARGET', async () => {
  const backend = new MemoryBackend()
  // Frames of 5 MiB (as stored) with two objects each: PACK_TARGET is crossed more than once.
  const frameBytes = 5 << 20
  const frames = Array.from({ length: 9 }, (_, i) => ({
    offset: 8 + i * frameBytes,
    length: frameBytes,
    entries: [0, 1].map((j) => ({ id: hashObjectBytes('chunk', Buffer.from([i, j])), kind: 'chunk' as const, frameOffset: 0, frameLength: 0, offset: j, length: 1 })),
  }))
  const decisions: PackDecision[] = [
    { name: 'a', action: 'rewrite', bytes: 0, objects: 10, liveObjects: 10, liveFrames: frames.slice(0, 5) },
    { name: 'b', action: 'keep', bytes: 0, objects: 1, liveObjects: 1, liveFrames: frames.slice(5, 6) },
    { name: 'c', action: 'rewrite', bytes: 0, objects: 8, liveObjects: 8, liveFrames: frames.slice(6) },
  ]
  const estimate = estimateNewPacks(decisions)

  const written: number[][] = []
  let writer = new PackWriter(backend)
  const finish = async () => {
    const done = await writer.finish()
    if (done) written.push([done.bytes + done.index.buf.length, done.index.count])
    writer = new PackWriter(backend)
  }
  for (const d of decisions) {
    if (d.action !== 'rewrite') continue
    for (const f of d.liveFrames) {
      writer.add({ data: Buffer.alloc(f.length, (f.offset >> 20) & 0xff), objects: f.entries })
      if (writer.bytes >= PACK_TARGET) await finish()
    }
  }
  await finish()
  assert.ok(written.length >= 2, 'the test crosses PACK_TARGET')
  assert.equal(estimate.map((e) => [e.bytes, e.objects]), written)
})

test('nothing to rewrite estimates nothing', () => {
  assert.equal(estimateNewPacks([{ name: 'a', action: 'delete', bytes: 5, objects: 1, liveObjects: 0, liveFrames: [] }]), [])
})

test.run()
