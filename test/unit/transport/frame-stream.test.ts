import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { FrameStreamWriter } from '../../../src/transport/frame-stream.js'

const test = suite('FrameStreamWriter')

test('golden bytes of a small stream (PROTOCOL.md § 3)', () => {
  const w = new FrameStreamWriter()
  const bytes = Buffer.concat([
    ...w.start({ common: [] }),
    ...w.frame(Buffer.from('xyz'), [{ id: Buffer.alloc(32, 0xab), kind: 'chunk', offset: 0, length: 3 }]),
    ...w.end(),
  ])
  const expected =
    '414b4653' + '01' + // "AKFS", version 1
    '01' + '0d' + Buffer.from('{"common":[]}').toString('hex') + // HEADER
    '02' + '01' + '00' + 'ab'.repeat(32) + '00' + '03' + '03' + '78797a' + // FRAME: 1 object, chunk, id, offset 0, size 3; 3 frame bytes
    '03' + '01' + '01' + '03' + '03' // END: 1 frame, 1 object, 3 raw bytes, 3 frame bytes
  assert.is(bytes.toString('hex'), expected)
})

test('frameHead counts like frame, so dry runs measure exactly', () => {
  const objects = [{ id: Buffer.alloc(32, 1), kind: 'file' as const, offset: 300, length: 200 }]
  const real = new FrameStreamWriter()
  const meter = new FrameStreamWriter()
  const sent = Buffer.concat([...real.start(), ...real.frame(Buffer.alloc(1000), objects), ...real.end()])
  const measured = [...meter.start(), meter.frameHead(objects, 1000), ...meter.end()].reduce((n, b) => n + b.length, 0) + 1000
  assert.is(measured, sent.length)
  assert.equal(meter.totals, real.totals)
})

test('records out of order are programming errors', () => {
  const w = new FrameStreamWriter()
  assert.throws(() => w.frame(Buffer.alloc(1), []), /not open/)
  w.start()
  assert.throws(() => w.start(), /already started/)
  w.end()
  assert.throws(() => w.end(), /not open/)
})

test.run()
