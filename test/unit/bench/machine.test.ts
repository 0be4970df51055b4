import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as os from 'node:os'
import { describeMachine, loadAverage, toolVersions } from '../../../bench/machine.js'

const test = suite('machine')

test('three load averages', () => {
  const l = loadAverage()
  assert.is(l.length, 3)
  for (const x of l) assert.ok(x >= 0)
})

test('tool versions: the first line, from stderr when stdout is empty; a missing tool says so', () => {
  const v = toolVersions({ sh: ['sh', ['-c', 'echo one; echo two']], err: ['sh', ['-c', 'echo on-stderr >&2']], none: ['ankagit-no-such-tool', []] })
  assert.equal(v, { sh: 'one', err: 'on-stderr', none: 'not installed' })
})

test('the machine description names cores, memory and the work filesystem', () => {
  const m = describeMachine(os.tmpdir(), {})
  assert.is(m.cores, os.cpus().length)
  assert.is(m.memoryBytes, os.totalmem())
  assert.is(m.node, process.version)
  assert.ok(m.workFilesystem.length > 0 && m.workFilesystem !== 'not installed')
})

test.run()
