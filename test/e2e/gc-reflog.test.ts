/**
 * gc and reflogs: a deleted branch's commits stay alive while HEAD's reflog remembers them, and are
 * freed once those entries expire (gc --expire-reflog), as with git's reflog expire + gc.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'

test('a deleted branch is freed only after its reflog entries expire', async () => {
  const dir = tmpDir('gc-reflog')
  fs.writeFileSync(path.join(dir, 'config.json'), '{"cpu":2}\n')
  await runOk(['init', '-q'], { cwd: dir })
  await runOk(['commit', '-q', '-m', 'base'], { cwd: dir })
  await runOk(['branch', 'experiment'], { cwd: dir })
  await runOk(['checkout', 'experiment'], { cwd: dir })
  const unique = Buffer.alloc(8 << 20)
  for (let i = 0; i < unique.length; i += 4) unique.writeUInt32LE((i * 2654435761) >>> 0, i)
  fs.writeFileSync(path.join(dir, 'data.bin'), unique)
  await runOk(['commit', '-q', '-m', 'experiment data'], { cwd: dir })
  await runOk(['checkout', 'main'], { cwd: dir })
  await runOk(['branch', '-D', 'experiment'], { cwd: dir })

  const kept = JSON.parse((await runOk(['gc', '--grace', '0', '--json'], { cwd: dir })).stdout)
  assert.is(kept.bytesFreed, 0, "HEAD's reflog still reaches the experiment commit")

  const dry = JSON.parse((await runOk(['gc', '--grace', '0', '--expire-reflog', 'now', '--dry-run', '--json'], { cwd: dir })).stdout)
  assert.ok(dry.reflogEntriesExpired > 0)
  assert.ok(dry.bytesFreed > 1 << 20, `the dry run reports the experiment data (${dry.bytesFreed})`)
  const real = JSON.parse((await runOk(['gc', '--grace', '0', '--expire-reflog', 'now', '--json'], { cwd: dir })).stdout)
  assert.is(real.bytesFreed, dry.bytesFreed, 'the dry run was exact')
  await runOk(['fsck'], { cwd: dir })
  const bad = await run(['gc', '--expire-reflog', 'soon'], { cwd: dir })
  assert.is(bad.code, 2)
})

test.run()
