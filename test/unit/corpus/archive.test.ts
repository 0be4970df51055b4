import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import { INSERTED_BYTES, makeInsertedArchive } from '../../../bench/corpus/archive.js'
import { blake3File } from '../../helpers/sparse.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const test = suite('archive')
test.after(() => removeTmpDirs())

test('base is a valid tar near the size asked; changed is base with 100 bytes inserted', async () => {
  const size = 4 * 2 ** 20
  const { base, changed } = await makeInsertedArchive(tmpDir('ankagit-archive-'), { seed: 1, size })
  const b = fs.readFileSync(base)
  const c = fs.readFileSync(changed)
  assert.ok(b.length <= size && b.length > size * 0.9, `archive is ${b.length} bytes`)
  assert.ok(execFileSync('tar', ['-tf', base], { encoding: 'utf8' }).trim().split('\n').length > 3)
  assert.is(c.length, b.length + INSERTED_BYTES)
  let at = 0
  while (b[at] === c[at]) at++
  assert.ok(at >= 1024 && at < 65536 + INSERTED_BYTES, `insertion at ${at}`)
  assert.ok(c.subarray(at + INSERTED_BYTES).equals(b.subarray(at)))
  const again = await makeInsertedArchive(tmpDir('ankagit-archive-'), { seed: 1, size })
  assert.is(blake3File(again.base), blake3File(base))
  assert.is(blake3File(again.changed), blake3File(changed))
})

test.run()
