import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { PAGE, listDataBlocks, writeMemoryImage } from '../../../bench/corpus/memory-image.js'
import { allocatedBytes, blake3File, differingBlocks, makeSparseFile } from '../../helpers/sparse.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const test = suite('memory-image')
test.after(() => removeTmpDirs())

const MiB = 2 ** 20
const dir = tmpDir('ankagit-memory-')
const disk = path.join(dir, 'disk.img')
makeSparseFile(disk, 64 * MiB, [
  { offset: 0, length: 2 * MiB, seed: 1 },
  { offset: 40 * MiB, length: MiB, seed: 2 },
])

test('listDataBlocks finds exactly the written blocks', () => {
  const blocks = listDataBlocks(disk)
  assert.is(blocks.length, (3 * MiB) / PAGE)
  assert.is(blocks[0], 0)
  assert.is(blocks[blocks.length - 1], (41 * MiB) / PAGE - 1)
})

test('a fresh image is deterministic, partly holes, and holds pages of the disk', async () => {
  const a = path.join(dir, 'a.img')
  const b = path.join(dir, 'b.img')
  await writeMemoryImage({ file: a, disk, size: 8 * MiB, seed: 1 })
  await writeMemoryImage({ file: b, disk, size: 8 * MiB, seed: 1 })
  assert.is(blake3File(a), blake3File(b))
  assert.is(fs.statSync(a).size, 8 * MiB)
  assert.ok(allocatedBytes(a) < 6 * MiB && allocatedBytes(a) > MiB, `allocated ${allocatedBytes(a)}`)
  const diskPages = new Set<string>()
  const d = fs.readFileSync(disk)
  for (let off = 0; off < d.length; off += PAGE) diskPages.add(d.subarray(off, off + PAGE).toString('base64'))
  const m = fs.readFileSync(a)
  let fromDisk = 0
  for (let off = 0; off < m.length; off += PAGE) if (diskPages.has(m.subarray(off, off + PAGE).toString('base64'))) fromDisk++
  assert.ok(fromDisk > 50, `only ${fromDisk} page-cache pages`)
  assert.not.ok(fs.existsSync(`${a}.tmp`))
})

test('rewriting with another seed changes some pages, not most', async () => {
  const a = path.join(dir, 'a.img')
  const before = path.join(dir, 'before.img')
  fs.copyFileSync(a, before)
  await writeMemoryImage({ file: a, disk, size: 8 * MiB, seed: 2 })
  const { differ, nonZero } = differingBlocks(before, a, PAGE)
  assert.ok(differ > 0 && differ < nonZero / 2, `${differ} of ${nonZero} pages changed`)
})

test('refuses a size that is not whole pages', async () => {
  try {
    await writeMemoryImage({ file: path.join(dir, 'x.img'), disk, size: 5000, seed: 1 })
    assert.unreachable('accepted 5000 bytes')
  } catch (err) {
    assert.match((err as Error).message, /invalid memory size '5000'/)
  }
})

test.run()
