import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseBenchOptions } from '../../../bench/options.js'

const GiB = 2 ** 30
const MiB = 2 ** 20
const test = suite('bench options')

test('defaults: the 8 GiB Debian corpus, report at the repository root', () => {
  const o = parseBenchOptions([], '/repo')
  assert.is(o.diskBytes, 8 * GiB)
  assert.is(o.dataBytes, 650 * MiB)
  assert.is(o.changeBytes, 100 * MiB)
  assert.is(o.repeat, 3)
  assert.ok(o.debian)
  assert.is(o.outDir, '/repo')
  assert.not.ok(o.quick)
})

test('--quick shrinks the corpus and keeps its report away from the published one', () => {
  const o = parseBenchOptions(['--quick'], '/repo')
  assert.is(o.diskBytes, GiB)
  assert.is(o.outDir, undefined)
  assert.is(parseBenchOptions(['--quick', '--out', '/x'], '/repo').outDir, '/x')
})

test('sizes take suffixes and explicit values win over --quick', () => {
  const o = parseBenchOptions(['--quick', '--disk', '2G', '--data', '300M', '--change', '1.5M', '--repeat', '5', '--host-files'], '/repo')
  assert.is(o.diskBytes, 2 * GiB)
  assert.is(o.dataBytes, 300 * MiB)
  assert.is(o.changeBytes, 1.5 * MiB)
  assert.is(o.repeat, 5)
  assert.not.ok(o.debian)
})

test('nonsense is refused', () => {
  assert.throws(() => parseBenchOptions(['--repeat', '0'], '/repo'))
  assert.throws(() => parseBenchOptions(['--disk', '1G', '--data', '1G'], '/repo'), /does not fit/)
  assert.throws(() => parseBenchOptions(['--disk', '1000'], '/repo'), /multiple of 4096/)
})

test.run()
