import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { bundleFiles, fingerprintBundle, fingerprintDifferences, treeSize } from '../../../bench/bundle-facts.js'
import { makeSparseFile } from '../../helpers/sparse.js'
import { tmpDir } from '../../helpers/tmp.js'

const MiB = 2 ** 20
const test = suite('bundle-facts')

function bundle(): string {
  const dir = tmpDir('ankagit-bench-bundle-')
  makeSparseFile(path.join(dir, 'disk.img'), 64 * MiB, [{ offset: 8 * MiB, length: MiB, seed: 1 }])
  fs.writeFileSync(path.join(dir, 'config.json'), '{}\n')
  fs.mkdirSync(path.join(dir, 'sub'))
  fs.writeFileSync(path.join(dir, 'sub', 'x'), 'x')
  fs.mkdirSync(path.join(dir, '.ankagit', 'objects'), { recursive: true })
  fs.writeFileSync(path.join(dir, '.ankagit', 'objects', 'p'), 'pack')
  return dir
}

test('bundle files are sorted relative paths without the repository folder', () => {
  assert.equal(bundleFiles(bundle()), ['config.json', 'disk.img', 'sub/x'])
})

test('treeSize counts apparent and allocated bytes; holes cost nothing', () => {
  const dir = bundle()
  const all = treeSize(dir)
  assert.is(all.files, 4)
  const disk = treeSize(dir, ['disk.img'])
  assert.is(disk.bytes, 64 * MiB)
  assert.ok(disk.allocatedBytes >= MiB && disk.allocatedBytes < 4 * MiB, `allocated ${disk.allocatedBytes}`)
  assert.equal(treeSize(path.join(dir, 'missing')), { files: 0, bytes: 0, allocatedBytes: 0 })
})

test('fingerprints notice a one-byte change, in a hole too', () => {
  const dir = bundle()
  const before = fingerprintBundle(dir)
  assert.equal(fingerprintDifferences(before, fingerprintBundle(dir)), [])
  const fd = fs.openSync(path.join(dir, 'disk.img'), 'r+')
  fs.writeSync(fd, Buffer.from([1]), 0, 1, 40 * MiB)
  fs.closeSync(fd)
  fs.rmSync(path.join(dir, 'sub', 'x'))
  assert.equal(fingerprintDifferences(before, fingerprintBundle(dir)), ['disk.img', 'sub/x'])
})

test.run()
