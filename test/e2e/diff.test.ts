import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit diff')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('diff')
})

interface FileDiffJson { path: string; status: string; changedBytes: number; changedRanges: number; ranges: number[][]; transferBytes: number; text?: string }

test('two versions: per file its status, changed bytes and ranges, transfer bytes, config as text', async () => {
  const out = (await repo.run(['diff', 'HEAD~1', 'HEAD'])).stdout
  assert.match(out, /^modified  disk\.img  \([\d.]+ MiB\)\n  changed   [\d.]+ (?:B|KiB|MiB) in \d+ ranges?: \d+-\d+/m)
  assert.match(out, /^  transfer  [\d.]+ (?:B|KiB|MiB)$/m)
  assert.match(out, /^--- a\/config\.json\n\+\+\+ b\/config\.json\n@@ /m)
  assert.match(out, /^-\s+"revision": 1,$/m)
  assert.match(out, /^\+\s+"revision": 2,$/m)
  assert.match(out, /^3 files changed, [\d.]+ (?:B|KiB|MiB) changed, [\d.]+ (?:B|KiB|MiB) to transfer\n$/m)
  const json = JSON.parse((await repo.run(['diff', '--json', repo.c1, repo.c2])).stdout) as { files: FileDiffJson[]; changedBytes: number; transferBytes: number }
  const disk = json.files.find((f) => f.path === 'disk.img')!
  assert.is(disk.status, 'modified')
  assert.ok(disk.changedBytes > 0 && disk.changedRanges >= 1 && disk.ranges.length >= 1)
  assert.ok(disk.transferBytes <= disk.changedBytes)
  assert.ok(json.files.find((f) => f.path === 'config.json')!.text!.includes('+++ b/config.json'))
  assert.is(json.changedBytes, json.files.reduce((a, f) => a + f.changedBytes, 0))
})

test('--stat: one line per changed file, a bar scaled to the width, a total', async () => {
  const wide = (await run(['diff', '--stat', 'HEAD~1', 'HEAD'], { cwd: repo.dir, env: { COLUMNS: '120' } })).stdout.split('\n').filter(Boolean)
  const narrow = (await run(['diff', '--stat', 'HEAD~1', 'HEAD'], { cwd: repo.dir, env: { COLUMNS: '60' } })).stdout.split('\n').filter(Boolean)
  assert.is(wide.length, 4)
  assert.match(wide[1]!, /^ disk\.img +\| +[\d.]+ (?:B|KiB|MiB) \++$/)
  assert.match(wide[3]!, /^ 3 files changed, /)
  for (const line of wide) assert.ok(line.length <= 120, line)
  for (const line of narrow) assert.ok(line.length <= 60, line)
  const bar = (l: string) => /\+*$/.exec(l)![0].length
  assert.ok(bar(wide[1]!) > bar(narrow[1]!), 'the bar follows the terminal width')
  assert.ok(bar(wide[1]!) >= bar(wide[0]!), 'the largest change has the longest bar')
})

test('one revision: the VM directory as it is now, a clean one has nothing changed', async () => {
  assert.is((await repo.run(['diff', '--stat'])).stdout, '')
  fs.writeFileSync(path.join(repo.dir, 'notes.txt'), 'hello\n')
  const out = (await repo.run(['diff'])).stdout
  assert.match(out, /^added     notes\.txt  \(6 B\)\n  changed   6 B in 1 range: 0-6\n  transfer  6 B\n/m)
  assert.match(out, /^\+hello$/m)
  fs.rmSync(path.join(repo.dir, 'notes.txt'))
})

test('an unknown revision is exit 10', async () => {
  assertCliError(await run(['diff', 'nope'], { cwd: repo.dir }), 10, /unknown revision 'nope'/)
})

test.run()
