import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { type LoadedRun, stepFromRuns, withLoad } from '../../../bench/step.js'

const test = suite('step')

const run = (seconds: number, peakRssBytes: number, load1: number): LoadedRun => ({
  command: `cmd ${seconds}`,
  code: 0,
  seconds,
  peakRssBytes,
  userSeconds: seconds / 2,
  systemSeconds: seconds / 4,
  stdout: '',
  stderr: '',
  load1,
})

test('a step quotes the median time, the highest peak RSS, the first command and every load', () => {
  const s = stepFromRuns({ id: 'x', label: 'x', tool: 't', cwd: '/w' }, [run(3, 10, 1), run(1, 30, 2), run(2, 20, 3)])
  assert.is(s.seconds.median, 2)
  assert.is(s.cpuSeconds.median, 1.5)
  assert.is(s.peakRssBytes, 30)
  assert.is(s.command, 'cmd 3')
  assert.equal(s.load, [1, 2, 3])
})

test('a step without runs is an error', () => {
  assert.throws(() => stepFromRuns({ id: 'empty', label: '', tool: '', cwd: '' }, []), /'empty' has no runs/)
})

test('withLoad records a load average beside the run', async () => {
  const r = await withLoad(async () => run(1, 1, -1))
  assert.ok(r.load1 >= 0)
  assert.is(r.seconds, 1)
})

test.run()
