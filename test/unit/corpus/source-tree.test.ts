import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { listTree, stageSourceTree } from '../../../bench/corpus/source-tree.js'
import { listHostFiles } from '../../../bench/corpus/host-files.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const test = suite('source-tree')
test.after(() => removeTmpDirs())

test('the host pool is sorted, plain-named and bounded', async () => {
  const pool = await listHostFiles()
  assert.ok(pool.length > 1000, `only ${pool.length} host files`)
  for (let i = 1; i < pool.length; i++) assert.ok(pool[i - 1]!.path < pool[i]!.path)
  assert.ok(pool.every((f) => f.size > 0 && f.size <= 64 * 2 ** 20 && /^[A-Za-z0-9._+@,=\/-]+$/.test(f.path)))
})

test('stages real host files up to the byte target, the same way twice', async () => {
  const root = tmpDir('ankagit-stage-')
  const a = await stageSourceTree({ dest: path.join(root, 'a'), bytes: 5_000_000, seed: 1 })
  const b = await stageSourceTree({ dest: path.join(root, 'b'), bytes: 5_000_000, seed: 1 })
  assert.ok(a.bytes <= 5_000_000 && a.bytes > 4_500_000, `staged ${a.bytes} bytes`)
  assert.equal(a.files, b.files)
  assert.equal(a.dirs, b.dirs)
  for (const f of a.files.slice(0, 20)) {
    assert.ok(fs.readFileSync(path.join(a.dir, f.path)).equals(fs.readFileSync(f.path)), `${f.path} is not the host file`)
  }
  assert.ok(a.dirs.every((d) => (fs.statSync(path.join(a.dir, d)).mode & 0o777) === 0o755))
  assert.equal(await listTree(a.dir), { files: a.files, dirs: a.dirs, others: a.others, bytes: a.bytes })
  const c = await stageSourceTree({ dest: path.join(root, 'c'), bytes: 5_000_000, seed: 2 })
  assert.not.equal(c.files, a.files)
})

test('refuses an existing folder and a debian tree without a cache', async () => {
  const root = tmpDir('ankagit-stage-')
  for (const [o, re] of [
    [{ dest: root, bytes: 1000, seed: 1 }, /already exists/],
    [{ dest: path.join(root, 'x'), bytes: 0, seed: 1 }, /invalid data size/],
    [{ dest: path.join(root, 'y'), bytes: 1000, seed: 1, debian: true }, /needs a cache folder/],
  ] as const) {
    try {
      await stageSourceTree(o)
      assert.unreachable('accepted bad options')
    } catch (err) {
      assert.match((err as Error).message, re)
    }
  }
})

test.run()
