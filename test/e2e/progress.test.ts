/**
 * --progress on the command line: the four modes only, and NDJSON events that a CI log can read
 * (one JSON object per line, elapsedMs never going back, each phase ending at its total even when
 * the file ends in a hole).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'

const MiB = 1 << 20
const test = suite('--progress')

/** A bundle with a 64 MiB sparse disk: 3 MiB of data near the start, a hole to the end. */
function bundle(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-progress-'))
  const fd = fs.openSync(path.join(dir, 'disk.img'), 'w')
  fs.ftruncateSync(fd, 64 * MiB)
  const data = Buffer.alloc(3 * MiB)
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i)
  fs.writeSync(fd, data, 0, data.length, MiB)
  fs.closeSync(fd)
  return dir
}

test('an unknown mode is refused with one line and exit status 2, before anything is done', async () => {
  const dir = bundle()
  await runOk(['init', '-q'], { cwd: dir })
  const r = await run(['commit', '-m', 'v1', '--progress', 'sometimes'], { cwd: dir })
  assert.is(r.code, 2)
  assert.match(r.stderr, /^ankagit: .*'sometimes' is invalid\. Allowed choices are auto, always, never, json\.\n$/)
  assert.is((await run(['log', '--oneline'], { cwd: dir })).code, 10, 'no commit was made')
  fs.rmSync(dir, { recursive: true, force: true })
})

test('json: one event per line, elapsedMs never decreasing, the phase ends at its total', async () => {
  const dir = bundle()
  await runOk(['init', '-q'], { cwd: dir })
  const r = await runOk(['commit', '-m', 'v1', '--progress', 'json'], { cwd: dir })
  const events = r.stderr.trim().split('\n').map((l) => JSON.parse(l))
  assert.ok(events.length >= 1)
  let last = 0
  for (const e of events) {
    assert.is(e.type, 'progress')
    assert.is(typeof e.elapsedMs, 'number')
    assert.ok(e.elapsedMs >= last)
    last = e.elapsedMs
  }
  const end = events[events.length - 1]
  assert.is(end.phase, 'commit')
  assert.is(end.done, end.total)
  assert.is(end.total, 64 * MiB)
  fs.rmSync(dir, { recursive: true, force: true })
})

test.run()
