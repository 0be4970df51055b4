import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { mountsUnder, unmountUnder } from '../../../bench/corpus/mounts.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const test = suite('mounts')
test.after(() => removeTmpDirs())

test('finds nested mounts deepest first and unmounts them all', async () => {
  const dir = tmpDir('ankagit-mounts-')
  const outer = path.join(dir, 'outer dir')
  fs.mkdirSync(outer)
  execFileSync('mount', ['-t', 'tmpfs', 'none', outer])
  const inner = path.join(outer, 'inner')
  fs.mkdirSync(inner)
  execFileSync('mount', ['-t', 'tmpfs', 'none', inner])
  assert.equal(mountsUnder(dir), [inner, outer])
  assert.equal(mountsUnder(path.join(dir, 'out')), [])
  await unmountUnder(dir)
  assert.equal(mountsUnder(dir), [])
})

test.run()
