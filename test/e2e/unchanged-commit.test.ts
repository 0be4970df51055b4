/**
 * A commit with nothing to do takes its tree from the index without hashing (snapshot.ts), which is
 * right only while the index's tree describes exactly the index's files. These cases would commit
 * nothing, or something wrong, if status or checkout left a tree in the index that its files no
 * longer match.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'

const test = suite('commit with nothing changed')
const ENV = { ANKAGIT_AUTHOR_NAME: 'Ada Tester', ANKAGIT_AUTHOR_EMAIL: 'ada@example.com' }

async function vm(name: string): Promise<string> {
  const dir = tmpDir(`ankagit-unchanged-${name}-`)
  await runOk(['init', '-q'], { cwd: dir })
  fs.writeFileSync(path.join(dir, 'config.json'), '{"cpus":2}\n')
  fs.writeFileSync(path.join(dir, 'nvram.bin'), Buffer.alloc(70_000, 7))
  await runOk(['commit', '-q', '-m', 'v1'], { cwd: dir, env: ENV })
  return dir
}

async function files(dir: string): Promise<string[]> {
  return (await runOk(['ls-tree', 'HEAD'], { cwd: dir })).stdout.trim().split('\n').map((l) => l.split(/\s+/).at(-1)!)
}

test('clean: exit 1 "nothing to commit", also after a status and after a touch', async () => {
  const dir = await vm('clean')
  const again = await run(['commit', '-m', 'again'], { cwd: dir, env: ENV })
  assert.is(again.code, 1)
  assert.match(again.stderr, /^ankagit: nothing to commit, working tree clean\n$/)
  const earlier = new Date(Date.now() - 5_000)
  fs.utimesSync(path.join(dir, 'nvram.bin'), earlier, earlier)
  await runOk(['status'], { cwd: dir })
  assert.is((await run(['commit', '-m', 'touched'], { cwd: dir, env: ENV })).code, 1)
})

test('a file deleted, then status: the commit records the deletion', async () => {
  const dir = await vm('deleted')
  fs.rmSync(path.join(dir, 'nvram.bin'))
  assert.match((await runOk(['status'], { cwd: dir })).stdout, /deleted:\s+nvram\.bin/)
  await runOk(['commit', '-q', '-m', 'without nvram'], { cwd: dir, env: ENV })
  assert.equal(await files(dir), ['config.json'])
})

test('a file changed, then status: the commit records the change', async () => {
  const dir = await vm('changed')
  fs.writeFileSync(path.join(dir, 'config.json'), '{"cpus":4}\n')
  await runOk(['status'], { cwd: dir })
  const r = JSON.parse((await runOk(['commit', '-m', 'four cpus', '--json'], { cwd: dir, env: ENV })).stdout) as { filesRead: number }
  assert.is(r.filesRead, 1)
  const entry = async (rev: string) => (await runOk(['ls-tree', rev], { cwd: dir })).stdout.split('\n').find((l) => l.endsWith('config.json'))
  assert.is.not(await entry('HEAD'), await entry('HEAD~1'))
})

test('a mode changed by checkout of another version: the next commit is empty only when the files match', async () => {
  const dir = await vm('mode')
  fs.chmodSync(path.join(dir, 'nvram.bin'), 0o600)
  await runOk(['commit', '-q', '-m', 'private nvram'], { cwd: dir, env: ENV })
  await runOk(['checkout', '-q', 'HEAD~1'], { cwd: dir })
  assert.is(fs.statSync(path.join(dir, 'nvram.bin')).mode & 0o777, 0o644)
  assert.is((await run(['commit', '-m', 'same as v1'], { cwd: dir, env: ENV })).code, 1)
  fs.chmodSync(path.join(dir, 'nvram.bin'), 0o600)
  await runOk(['commit', '-q', '-m', 'private again'], { cwd: dir, env: ENV })
})

test.run()
