import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { scaledData } from '../../../bench/scaling-case.js'

const test = suite('scaling-case')
const GiB = 2 ** 30
const MiB = 2 ** 20

test('data grows with the disk at the main corpus’s share, capped at 3 GiB', () => {
  assert.is(scaledData(8 * GiB), 650 * MiB)
  assert.is(scaledData(GiB), Math.round(650 / 8) * MiB)
  assert.is(scaledData(64 * GiB), 3 * GiB)
})

test.run()
