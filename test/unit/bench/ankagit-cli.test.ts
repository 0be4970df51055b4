import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { AnkagitCli } from '../../../bench/ankagit-cli.js'
import { REPO_ROOT } from '../../helpers/cli.js'
import { tmpDir } from '../../helpers/tmp.js'

const test = suite('ankagit-cli')

test('runs the built CLI, measured, and records the command as a user types it', async () => {
  const cli = new AnkagitCli(REPO_ROOT)
  const dir = tmpDir('ankagit-bench-cli-')
  const r = await cli.run(['init', '-q'], { cwd: dir })
  assert.is(r.command, 'ankagit init -q')
  assert.ok(fs.existsSync(path.join(dir, '.ankagit')))
  assert.ok(r.peakRssBytes > 0)
  const counts = await cli.json<{ objects: number }>(['count-objects', '--json'], { cwd: dir })
  assert.is(counts.value.objects, 0)
})

test('a failing command throws with its one-line error', async () => {
  const cli = new AnkagitCli(REPO_ROOT)
  try {
    await cli.run(['log'], { cwd: tmpDir('ankagit-bench-cli-') })
    assert.unreachable()
  } catch (err) {
    assert.match((err as Error).message, /'.*ankagit\.js log' exited with \d+ in '.*': ankagit: /)
  }
})

test('has() tells which commands this build offers', async () => {
  const cli = new AnkagitCli(REPO_ROOT)
  assert.ok(await cli.has('commit'))
  assert.not.ok(await cli.has('no-such-command'))
})

test('an unbuilt tree is refused up front', () => {
  assert.throws(() => new AnkagitCli(tmpDir('ankagit-bench-cli-')), /ankagit is not built/)
})

test.run()
