import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { IdList, decodeIds, encodeIds, idsOf } from '../../../src/transport/id-list.js'
import { hashObject, hashObjectBytes } from '../../../src/objects/id.js'
import { ProtocolError } from '../../../src/errors.js'

const test = suite('id lists')

const ids = Array.from({ length: 5000 }, (_, i) => hashObjectBytes('chunk', Buffer.from(`chunk ${i}`)))

test('IdList keeps insertion order, refuses duplicates, grows', () => {
  const list = new IdList()
  for (const id of ids) assert.ok(list.add(id))
  for (const id of ids.slice(0, 100)) assert.not.ok(list.add(Buffer.from(id)))
  assert.is(list.length, 5000)
  assert.ok(list.at(0).equals(ids[0]!))
  assert.ok(list.at(4999).equals(ids[4999]!))
  assert.ok(list.has(ids[1234]!))
  assert.not.ok(list.has(hashObjectBytes('chunk', Buffer.from('absent'))))
  assert.equal([...list].length, 5000)
  assert.is(list.range(10, 20).length, 320)
  assert.ok(list.range(10, 11).equals(ids[10]!))
})

test('ids that share their first four bytes are still told apart', () => {
  const list = new IdList()
  const x = Buffer.alloc(32, 1)
  const y = Buffer.alloc(32, 1)
  y[31] = 2
  assert.ok(list.add(x))
  assert.ok(list.add(y))
  assert.is(list.length, 2)
  assert.ok(list.has(y))
})

test('encodeIds and idsOf round-trip hex and raw ids', () => {
  const hex = [hashObject('chunk', Buffer.from('a')), hashObject('file', Buffer.from('b'))]
  const body = encodeIds(hex)
  assert.is(body.length, 64)
  assert.equal(idsOf(body), hex)
  assert.ok(encodeIds([ids[0]!, ids[1]!]).equals(Buffer.concat([ids[0]!, ids[1]!])))
})

test('decodeIds refuses empty, ragged and oversized lists', () => {
  assert.throws(() => decodeIds(Buffer.alloc(0), 10), (e: unknown) => e instanceof ProtocolError && /empty/.test((e as Error).message))
  assert.throws(() => decodeIds(Buffer.alloc(33), 10), (e: unknown) => e instanceof ProtocolError && /not a multiple of 32/.test((e as Error).message))
  assert.throws(() => decodeIds(Buffer.alloc(32 * 11), 10), (e: unknown) => e instanceof ProtocolError && /11 ids, more than 10/.test((e as Error).message))
  assert.is(decodeIds(Buffer.alloc(64), 10).length, 64)
})

test.run()
