import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { ByteSource } from '../../../src/transport/byte-source.js'
import { ProtocolError } from '../../../src/errors.js'

const test = suite('ByteSource')

/** A source that yields bytes in the given piece sizes (the last piece takes the rest). */
function source(bytes: number[], pieces: number[]): ByteSource {
  const buf = Buffer.from(bytes)
  async function* gen(): AsyncIterable<Uint8Array> {
    let at = 0
    for (const n of pieces) {
      yield buf.subarray(at, Math.min(buf.length, at + n))
      at += n
    }
    if (at < buf.length) yield buf.subarray(at)
  }
  return new ByteSource(gen()[Symbol.asyncIterator](), 'test stream')
}

// 300 as LEB128 is ac 02; 5 is 05.
const BYTES = [0xac, 0x02, 1, 2, 3, 4, 5, 0x05, 9]

for (const pieces of [[1, 1, 1, 1, 1, 1, 1, 1, 1], [2, 3, 4], [9], [0, 3, 0, 6]]) {
  test(`async reads across pieces of ${pieces.join(',')}`, async () => {
    const s = source(BYTES, pieces)
    assert.is(await s.varint(), 300)
    assert.equal([...(await s.take(5))], [1, 2, 3, 4, 5])
    assert.is(await s.varint(), 5)
    assert.is(await s.u8(), 9)
    assert.is(await s.atEnd(), true)
  })

  test(`sync reads after fill, across pieces of ${pieces.join(',')}`, async () => {
    const s = source(BYTES, pieces)
    assert.is(await s.fill(BYTES.length), true)
    assert.is(s.buffered, BYTES.length)
    assert.is(s.varintNow(), 300)
    assert.equal([...s.takeNow(5)], [1, 2, 3, 4, 5])
    assert.is(s.varintNow(), 5)
    assert.is(s.u8Now(), 9)
    assert.is(s.buffered, 0)
  })
}

test('fill asks for more than the stream holds: false, and reads past the end are a truncation', async () => {
  const s = source([1, 2], [1])
  assert.is(await s.fill(10), false)
  assert.is(s.buffered, 2)
  assert.throws(() => s.takeNow(3), (e: Error) => e instanceof ProtocolError && /test stream is truncated/.test(e.message))
  assert.equal([...s.takeNow(2)], [1, 2])
  await s.take(1).then(() => assert.unreachable('read past the end'), (e: Error) => assert.match(e.message, /truncated/))
})

test('bad varints: too long, not minimal', async () => {
  assert.throws(() => {
    const s = source([], [])
    s.varintNow()
  }, /truncated/)
  const long = source([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], [])
  await long.varint().then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /malformed: varint too long/))
  const padded = source([0x85, 0x00], [])
  await padded.varint().then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /malformed: non-minimal varint/))
})

test.run()
