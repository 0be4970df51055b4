/**
 * `ankagit log --stat` on a real VM repository: per commit, diff --stat against its first parent
 * (a root commit: every file added), in the long and --oneline layouts and in --json.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { type VmRepo, vmRepo } from './vm-repo.js'

const test = suite('ankagit log --stat')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('log-stat')
})

test('each commit is followed by a blank line and its stat: files with bytes and a bar, then a total', async () => {
  const out = (await repo.run(['log', '--stat'])).stdout
  const blocks = out.split(/\n(?=commit )/)
  assert.is(blocks.length, 2)
  assert.match(blocks[0]!, new RegExp(`^commit ${repo.c2}\\n`))
  assert.match(blocks[0]!, /\n    with a body\n\n config\.json\s+\|\s+\d+ B \+\n disk\.img\s+\|\s+[\d.]+ [KM]iB \++\n/)
  assert.match(blocks[0]!, /\n \d+ files? changed, [\d.]+ [KM]iB changed, [\d.]+ [KM]iB to transfer\n$/)
  // The root commit: every file added, config.json among them.
  assert.match(blocks[1]!, /\n config\.json\s+\|\s+\d+ B \+\n/)
  assert.match(blocks[1]!, /\n disk\.img\s+\|\s+[\d.]+ MiB \++\n/)
})

test('--oneline --stat puts the stat right under each line; --json adds "stat" with the same figures', async () => {
  const lines = (await repo.run(['log', '--oneline', '--stat', '-n', '1'])).stdout.trimEnd().split('\n')
  assert.is(lines[0], `${repo.c2.slice(0, 12)} second version`)
  assert.match(lines[1]!, /^ \S+\s+\|/)
  assert.match(lines.at(-1)!, /^ \d+ files? changed/)
  const json = JSON.parse((await repo.run(['log', '--stat', '--json'])).stdout)
  const show = JSON.parse((await repo.run(['show', repo.c2, '--json'])).stdout)
  assert.equal(json[0].stat.files, show.files)
  assert.equal([json[0].stat.changedBytes, json[0].stat.transferBytes], [show.changedBytes, show.transferBytes])
  assert.ok(json[1].stat.files.every((f: { status: string }) => f.status === 'added'))
  const plain = JSON.parse((await repo.run(['log', '--json'])).stdout)
  assert.is(plain[0].stat, undefined)
})

test.run()
