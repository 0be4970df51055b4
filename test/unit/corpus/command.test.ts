import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CommandError, runCommand } from '../../../bench/corpus/command.js'

const test = suite('command')

test('returns output and passes extra environment', async () => {
  const r = await runCommand('sh', ['-c', 'echo "$X"; echo err >&2'], { env: { X: 'hello' } })
  assert.is(r.stdout, 'hello\n')
  assert.is(r.stderr, 'err\n')
})

test('a failure names the command, its exit code and first stderr line', async () => {
  try {
    await runCommand('sh', ['-c', 'echo first >&2; echo second >&2; exit 3'])
    assert.unreachable('no rejection')
  } catch (err) {
    assert.instance(err, CommandError)
    assert.is((err as CommandError).exitCode, 3)
    assert.match((err as Error).message, /^command 'sh -c .*' failed \(exit 3\): first$/)
  }
})

test.run()
