import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit ls-tree')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('ls-tree')
  fs.mkdirSync(path.join(repo.dir, 'Data'))
  fs.writeFileSync(path.join(repo.dir, 'Data', 'state.json'), '{"ok":true}\n')
  await repo.run(['commit', '-q', '-m', 'with a folder'])
})

test('the files of a commit, a folder entry, its contents, and -r', async () => {
  const top = (await repo.run(['ls-tree', 'HEAD'])).stdout.split('\n').filter(Boolean)
  assert.equal(top.map((l) => l.split('\t')[1]), ['Data', 'config.json', 'disk.img', 'nvram.bin'])
  assert.match(top[0]!, /^0755 vm [0-9a-f]{64} -\tData$/)
  assert.match(top[2]!, new RegExp(`^0644 file [0-9a-f]{64} ${fs.statSync(path.join(repo.dir, 'disk.img')).size}\tdisk.img$`))
  assert.match((await repo.run(['ls-tree', 'HEAD', 'Data'])).stdout, /^0755 vm [0-9a-f]{64} -\tData\n$/)
  assert.match((await repo.run(['ls-tree', 'HEAD', 'Data/'])).stdout, /^0644 file [0-9a-f]{64} 12\tData\/state.json\n$/)
  assert.is((await repo.run(['ls-tree', '-r', '--name-only', 'HEAD'])).stdout, 'Data/state.json\nconfig.json\ndisk.img\nnvram.bin\n')
  assert.is((await repo.run(['ls-tree', '--name-only', 'HEAD~1'])).stdout, 'config.json\ndisk.img\nnvram.bin\n')
  const json = JSON.parse((await repo.run(['ls-tree', '--json', 'HEAD', 'disk.img'])).stdout)
  assert.equal(json.map((e: { path: string; type: string }) => [e.path, e.type]), [['disk.img', 'file']])
})

test('a missing path or revision is exit 10', async () => {
  assertCliError(await run(['ls-tree', 'HEAD', 'nope'], { cwd: repo.dir }), 10, /path 'nope' does not exist in 'HEAD'/)
  assertCliError(await run(['ls-tree', 'nope'], { cwd: repo.dir }), 10, /unknown revision 'nope'/)
})

test.run()
