import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { splitStreams } from '../../../src/transport/stream-split.js'

const test = suite('splitStreams')

test('small transfers use one stream, large ones up to the limit', () => {
  assert.equal(splitStreams(0, 2, 100), [])
  assert.equal(splitStreams(10, 4, 100), [[[0, 10]]])
  assert.equal(splitStreams(200, 2, 1000), [[[0, 100]], [[100, 200]]])
  assert.is(splitStreams(10_000, 4, 100_000).length, 4)
})

test('each stream is cut into requests of at most batch ids, covering every id once', () => {
  const plan = splitStreams(1001, 3, 100)
  const covered: number[] = []
  for (const stream of plan) for (const [a, b] of stream) {
    assert.ok(b - a <= 100)
    for (let i = a; i < b; i++) covered.push(i)
  }
  assert.equal(covered, Array.from({ length: 1001 }, (_, i) => i))
})

test('requests do not grow with chunks until a batch is full', () => {
  const requests = (n: number) => splitStreams(n, 2, 262_144).flat().length
  assert.is(requests(1000), 2)
  assert.is(requests(500_000), 2)
  assert.is(requests(600_000), 4)
})

test.run()
