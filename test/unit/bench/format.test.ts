import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { formatBytes, formatRatio, formatSeconds } from '../../../bench/format.js'

const test = suite('format')

test('bytes in binary units', () => {
  assert.is(formatBytes(512), '512 B')
  assert.is(formatBytes(1536), '1.50 KiB')
  assert.is(formatBytes(177614583), '169.4 MiB')
  assert.is(formatBytes(8 * 2 ** 30), '8.00 GiB')
})

test('seconds below one as milliseconds', () => {
  assert.is(formatSeconds(0.0423), '42.3 ms')
  assert.is(formatSeconds(0.578), '578 ms')
  assert.is(formatSeconds(9.75), '9.75 s')
  assert.is(formatSeconds(30.59), '30.6 s')
})

test('ratios', () => {
  assert.is(formatRatio(0.987), '0.99×')
  assert.is(formatRatio(13.1), '13.1×')
})

test.run()
