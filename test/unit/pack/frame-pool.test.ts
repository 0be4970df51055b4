import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { FramePool } from '../../../src/pack/frame-pool.js'
import { hashObjectBytes } from '../../../src/objects/id.js'
import { compressFrame, decompressFrame } from '../../../src/pack/zstd.js'
import { CorruptObjectError } from '../../../src/errors.js'

const test = suite('FramePool')
const a = Buffer.alloc(3000, 1)
const b = Buffer.alloc(2000, 2)
const c = Buffer.alloc(1000, 3)
const frame = compressFrame(Buffer.concat([a, b, c]))
const objects = [
  { id: hashObjectBytes('chunk', a), kind: 'chunk' as const, offset: 0, length: 3000 },
  { id: hashObjectBytes('chunk', b), kind: 'chunk' as const, offset: 3000, length: 2000 },
  { id: hashObjectBytes('chunk', c), kind: 'chunk' as const, offset: 5000, length: 1000 },
]

for (const threads of [0, 2]) {
  test(`verify and reframe with ${threads} threads`, async () => {
    const pool = new FramePool(threads)
    try {
      const plain = await pool.verify(Buffer.from(frame), objects, 'f')
      assert.is(plain.raw, undefined)
      assert.ok(plain.data.equals(frame), 'the frame comes back intact')
      const { raw } = await pool.verify(Buffer.from(frame), objects, 'f', true)
      assert.ok(raw!.equals(Buffer.concat([a, b, c])))
      const pooled = Buffer.from(frame.subarray(0, 0))
      assert.ok((await pool.verify(Buffer.concat([frame, pooled]).subarray(0), objects, 'f')).data.equals(frame), 'a slice of a larger buffer is copied, not moved')
      const bad = objects.map((o, i) => (i === 1 ? { ...o, id: hashObjectBytes('chunk', c) } : o))
      try {
        await pool.verify(Buffer.from(frame), bad, 'frame 9')
        assert.unreachable()
      } catch (err) {
        assert.instance(err, CorruptObjectError)
        assert.match((err as Error).message, /in frame 9 is corrupt/)
      }
      const re = await pool.reframe([{ data: Buffer.from(frame), slices: [5000, 1000, 0, 3000] }, { raw: Buffer.from('xyz'), slices: [1, 2] }], 3, 'f')
      assert.ok(decompressFrame(re, 'r').equals(Buffer.concat([c, a, Buffer.from('yz')])))
      const many = await Promise.all(Array.from({ length: 8 }, () => pool.verify(Buffer.from(frame), objects, 'f', true)))
      assert.is(many.length, 8)
    } finally {
      await pool.close()
    }
  })
}

test.run()
