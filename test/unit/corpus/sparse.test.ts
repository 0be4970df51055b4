import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Blake3Hasher } from '@napi-rs/blake-hash'
import { allocatedBytes, blake3File, differingBlocks, makeSparseFile, sameFiles } from '../../helpers/sparse.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const test = suite('test helpers: sparse')
test.after(() => removeTmpDirs())
const MiB = 2 ** 20

test('makeSparseFile writes only its extents', () => {
  const f = path.join(tmpDir('ankagit-sparse-'), 'f')
  makeSparseFile(f, 64 * MiB, [{ offset: MiB, bytes: Buffer.from('hello') }, { offset: 10 * MiB, length: 8192, seed: 3 }])
  assert.is(fs.statSync(f).size, 64 * MiB)
  assert.ok(allocatedBytes(f) <= 64 * 1024, `allocated ${allocatedBytes(f)}`)
  const d = fs.readFileSync(f)
  assert.is(d.subarray(MiB, MiB + 5).toString(), 'hello')
  assert.ok(d.subarray(0, MiB).every((b) => b === 0))
  assert.not.ok(d.subarray(10 * MiB, 10 * MiB + 8192).every((b) => b === 0))
  assert.throws(() => makeSparseFile(f, 10, [{ offset: 8, bytes: Buffer.alloc(4) }]), /ends past size/)
})

test('blake3File matches a one-shot hash', () => {
  const f = path.join(tmpDir('ankagit-sparse-'), 'f')
  const data = Buffer.alloc(3 * MiB + 7, 0x5a)
  fs.writeFileSync(f, data)
  assert.is(blake3File(f), new Blake3Hasher().update(data).digest('hex'))
})

test('differingBlocks counts changed and non-zero blocks', () => {
  const dir = tmpDir('ankagit-sparse-')
  makeSparseFile(path.join(dir, 'a'), 4 * MiB, [{ offset: 0, length: 256 * 1024, seed: 1 }])
  makeSparseFile(path.join(dir, 'b'), 4 * MiB, [{ offset: 0, length: 256 * 1024, seed: 1 }, { offset: 2 * MiB + 10, bytes: Buffer.from('x') }])
  assert.equal(differingBlocks(path.join(dir, 'a'), path.join(dir, 'b')), { differ: 1, nonZero: 5 })
})

test('sameFiles lists every kind of difference', () => {
  const dir = tmpDir('ankagit-same-')
  const a = path.join(dir, 'a')
  const b = path.join(dir, 'b')
  for (const d of [a, b]) {
    fs.mkdirSync(path.join(d, 'sub'), { recursive: true })
    fs.writeFileSync(path.join(d, 'sub', 'same'), 'x')
  }
  assert.equal(sameFiles(a, b), [])
  fs.writeFileSync(path.join(a, 'only-a'), '1')
  fs.writeFileSync(path.join(a, 'sub', 'diff'), 'abc')
  fs.writeFileSync(path.join(b, 'sub', 'diff'), 'abd')
  fs.writeFileSync(path.join(a, 'size'), 'ab')
  fs.writeFileSync(path.join(b, 'size'), 'abc')
  fs.symlinkSync('same', path.join(b, 'sub', 'link'))
  assert.equal(sameFiles(a, b), ['only in a: only-a', 'size differs: size (2 vs 3)', 'differs: sub/diff', 'only in b: sub/link'])
})

test.run()
