import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { SeededBytes, SeededRandom, seededBytes } from '../../../bench/corpus/seeded-random.js'

const test = suite('seeded-random')

test('the same seed and label give the same sequence', () => {
  const a = new SeededRandom(5, 'x')
  const b = new SeededRandom(5, 'x')
  const seqA = Array.from({ length: 20 }, () => a.nextUint32())
  const seqB = Array.from({ length: 20 }, () => b.nextUint32())
  assert.equal(seqA, seqB)
  const c = new SeededRandom(5, 'y')
  assert.not.equal(Array.from({ length: 20 }, () => c.nextUint32()), seqA)
})

test('ranges are respected', () => {
  const r = new SeededRandom(1, 'range')
  for (let i = 0; i < 1000; i++) {
    const n = r.below(7)
    assert.ok(n >= 0 && n < 7 && Number.isInteger(n))
    const m = r.between(3, 5)
    assert.ok(m >= 3 && m <= 5)
    const f = r.next()
    assert.ok(f >= 0 && f < 1)
  }
})

test('shuffle is a seeded permutation and leaves its input alone', () => {
  const items = Array.from({ length: 50 }, (_, i) => i)
  const s1 = new SeededRandom(2, 's').shuffle(items)
  const s2 = new SeededRandom(2, 's').shuffle(items)
  assert.equal(s1, s2)
  assert.not.equal(s1, items)
  assert.equal([...s1].sort((a, b) => a - b), items)
  assert.is(items[0], 0)
})

test('seeded bytes continue one stream across draws', () => {
  const whole = seededBytes(9, 'b', 100)
  const parts = new SeededBytes(9, 'b')
  assert.ok(Buffer.concat([parts.take(30), parts.take(70)]).equals(whole))
  assert.not.ok(seededBytes(10, 'b', 100).equals(whole))
})

test.run()
