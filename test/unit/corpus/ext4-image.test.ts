import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { checkExt4Image, corpusTime, makeExt4Image, seededUuid } from '../../../bench/corpus/ext4-image.js'
import { readImageFile, runDebugfs } from '../../../bench/corpus/debugfs.js'
import { stageSourceTree } from '../../../bench/corpus/source-tree.js'
import { allocatedBytes, blake3File } from '../../helpers/sparse.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const test = suite('ext4-image')
test.after(() => removeTmpDirs())

test('ids and clock values are stable and distinct per seed', () => {
  assert.is(seededUuid(1, 'fs'), seededUuid(1, 'fs'))
  assert.is.not(seededUuid(1, 'fs'), seededUuid(2, 'fs'))
  assert.match(seededUuid(1, 'fs'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.is(corpusTime(1, 'make'), corpusTime(1, 'make'))
  assert.is.not(corpusTime(1, 'make'), corpusTime(1, 'update'))
})

test('makes a clean, sparse, byte-identical image holding the staged files', async () => {
  const root = tmpDir('ankagit-ext4-')
  const tree = await stageSourceTree({ dest: path.join(root, 'stage'), bytes: 3_000_000, seed: 5 })
  const a = path.join(root, 'a.img')
  const b = path.join(root, 'b.img')
  await makeExt4Image({ image: a, size: 64 * 2 ** 20, source: tree, seed: 5 })
  await makeExt4Image({ image: b, size: 64 * 2 ** 20, source: tree, seed: 5 })
  assert.is(blake3File(a), blake3File(b))
  await checkExt4Image(a)
  assert.ok(allocatedBytes(a) < 32 * 2 ** 20)
  const f = tree.files[0]!
  assert.ok((await readImageFile(a, f.path)).equals(fs.readFileSync(f.path)))
  const stat = await runDebugfs(a, [`stat ${f.path}`])
  assert.match(stat, new RegExp(`ctime: 0x${corpusTime(5, 'make').toString(16)}`))
})

test('a damaged image fails the check', async () => {
  const root = tmpDir('ankagit-ext4-')
  const tree = await stageSourceTree({ dest: path.join(root, 'stage'), bytes: 1_000_000, seed: 6 })
  const img = path.join(root, 'c.img')
  await makeExt4Image({ image: img, size: 32 * 2 ** 20, source: tree, seed: 6 })
  const fd = fs.openSync(img, 'r+')
  // The first group descriptor block follows the superblock; zeroing it breaks the block and inode maps.
  fs.writeSync(fd, Buffer.alloc(4096), 0, 4096, 4096)
  fs.closeSync(fd)
  try {
    await checkExt4Image(img)
    assert.unreachable('e2fsck passed a damaged image')
  } catch (err) {
    assert.match((err as Error).message, /e2fsck/)
  }
})

test.run()
