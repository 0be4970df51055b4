import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { makeVm } from '../../bench/corpus/vm.js'
import { ENV, MiB, type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit show')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('show')
})

test('a commit with the files it changed against its parent, and a total line', async () => {
  const out = (await repo.run(['show'], )).stdout
  assert.match(out, new RegExp(`^commit ${repo.c2}\nAuthor: Ada Tester <ada@example.com>\nDate: {3}.+\n\n    second version\n\n    with a body\n\n`))
  assert.match(out, /^ config\.json +\| +\d+ B \++$/m)
  assert.match(out, /^ disk\.img +\| +[\d.]+ (?:B|KiB|MiB) \++$/m)
  assert.match(out, /^ 3 files changed, [\d.]+ (?:B|KiB|MiB) changed, [\d.]+ (?:B|KiB|MiB) to transfer\n$/m)
  const json = JSON.parse((await repo.run(['show', '--json'])).stdout)
  assert.is(json.commit.id, repo.c2)
  assert.is(json.parent, repo.c1)
  assert.equal(json.files.map((f: { path: string; status: string }) => [f.path, f.status]), [['config.json', 'modified'], ['disk.img', 'modified'], ['nvram.bin', 'modified']])
  assert.ok(json.transferBytes > 0 && json.transferBytes <= json.changedBytes)
})

test('the first commit shows every file as added', async () => {
  const json = JSON.parse((await repo.run(['show', '--json', 'HEAD~1'])).stdout)
  assert.is(json.parent, undefined)
  assert.ok(json.files.every((f: { status: string }) => f.status === 'added'))
  const disk = json.files.find((f: { path: string }) => f.path === 'disk.img')
  assert.ok(disk.changedBytes < fs.statSync(path.join(repo.dir, 'disk.img')).size / 2, 'holes are not counted as changed data')
})

test('a suspended VM is marked', async () => {
  const dir = tmpDir('ankagit-show-suspended-')
  await makeVm({ dir, diskSize: 16 * MiB, dataBytes: MiB, seed: 5, suspended: true, memorySize: 2 * MiB })
  await runOk(['init', '-q'], { cwd: dir })
  await runOk(['commit', '-q', '-m', 'suspended'], { cwd: dir, env: ENV })
  assert.match((await runOk(['show'], { cwd: dir })).stdout, /^Suspended: memory\.img$/m)
  assert.match((await runOk(['log'], { cwd: dir })).stdout, /^Suspended: memory\.img$/m)
})

test('an unknown revision is exit 10; a tree is not a commit (2)', async () => {
  assertCliError(await run(['show', 'nope'], { cwd: repo.dir }), 10, /unknown revision 'nope'/)
  const tree = (await repo.run(['cat-file', '-p', 'HEAD'])).stdout.slice(5, 69)
  assertCliError(await run(['show', tree], { cwd: repo.dir }), 2, /is a vm, not a commit/)
})

test.run()
