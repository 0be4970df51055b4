import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { runMeasured, shellQuote } from '../../../bench/measured-run.js'
import { tmpDir } from '../../helpers/tmp.js'

const MiB = 2 ** 20
const test = suite('measured-run')

test('reports the exit status, output and a wall time', async () => {
  const r = await runMeasured('sh', ['-c', 'echo out; echo err >&2'])
  assert.is(r.code, 0)
  assert.is(r.stdout, 'out\n')
  assert.is(r.stderr, 'err\n')
  assert.ok(r.seconds > 0)
  assert.is(r.command, "sh -c 'echo out; echo err >&2'")
})

test('peak RSS is the child process’s, not the bench’s', async () => {
  const small = await runMeasured('true', [])
  const big = await runMeasured('python3', ['-c', 'b = bytearray(120 * 2**20); b[::4096] = b"x" * (len(b) // 4096)'])
  assert.ok(big.peakRssBytes >= 120 * MiB, `peak ${big.peakRssBytes}`)
  assert.ok(small.peakRssBytes < 60 * MiB, `peak ${small.peakRssBytes}`)
})

test('a descendant the command waited for counts too', async () => {
  const r = await runMeasured('sh', ['-c', 'python3 -c "b = bytearray(100 * 2**20); b[::4096] = b\\"x\\" * (len(b) // 4096)"; true'])
  assert.ok(r.peakRssBytes >= 100 * MiB, `peak ${r.peakRssBytes}`)
})

test('an exit status outside okCodes throws with the command and its stderr', async () => {
  try {
    await runMeasured('sh', ['-c', 'echo broken >&2; exit 3'])
    assert.unreachable()
  } catch (err) {
    assert.instance(err, Error)
    assert.match((err as Error).message, /exited with 3: broken/)
  }
  const ok = await runMeasured('sh', ['-c', 'exit 1'], { okCodes: [1] })
  assert.is(ok.code, 1)
})

test('a missing command is reported as not found', async () => {
  try {
    await runMeasured('ankagit-no-such-tool', [])
    assert.unreachable()
  } catch (err) {
    assert.match((err as Error).message, /command not found/)
  }
})

test('stdout can go to a file, and the command line records it', async () => {
  const dir = tmpDir('ankagit-bench-run-')
  const out = path.join(dir, 'out.txt')
  const r = await runMeasured('echo', ['hello'], { stdoutFile: out })
  assert.is(fs.readFileSync(out, 'utf8'), 'hello\n')
  assert.is(r.stdout, '')
  assert.is(r.command, `echo hello > ${out}`)
})

test('shellQuote leaves plain words alone and quotes the rest', () => {
  assert.is(shellQuote('--sparse=always'), '--sparse=always')
  assert.is(shellQuote('a b'), `'a b'`)
  assert.is(shellQuote(`it's`), `'it'\\''s'`)
})

test.run()
