import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { median, samplesOf } from '../../../bench/samples.js'

const test = suite('samples')

test('median of an odd and an even count, whatever the order', () => {
  assert.is(median([3, 1, 2]), 2)
  assert.is(median([4, 1, 3, 2]), 2.5)
  assert.is(median([7]), 7)
})

test('median of nothing is an error', () => {
  assert.throws(() => median([]), /no values/)
})

test('samplesOf keeps the values and their spread', () => {
  assert.equal(samplesOf([5, 1, 9]), { values: [5, 1, 9], median: 5, min: 1, max: 9 })
})

test.run()
