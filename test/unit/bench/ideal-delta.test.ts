import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { idealDelta } from '../../../bench/ideal-delta.js'
import { SeededBytes } from '../../../bench/corpus/seeded-random.js'
import { makeSparseFile } from '../../helpers/sparse.js'
import { tmpDir } from '../../helpers/tmp.js'

const K64 = 65536
const test = suite('ideal-delta')

/** One 64 KiB block of seeded random bytes (incompressible) or of one repeated byte (compressible). */
const random = (label: string) => new SeededBytes(9, label).take(K64)
const filled = (byte: number, n = K64) => new Uint8Array(n).fill(byte)

test('novel blocks are the distinct non-zero target blocks found nowhere in the base', async () => {
  const dir = tmpDir('ankagit-bench-ideal-')
  const base = path.join(dir, 'base.img')
  const target = path.join(dir, 'target.img')
  const a = random('a')
  const b = random('b')
  makeSparseFile(base, 16 * K64, [{ offset: 0, bytes: a }, { offset: 5 * K64, bytes: b }])
  // a moved to another offset (known), c twice (novel once), a hole, then a short tail block d.
  const c = filled(7)
  const d = filled(9, 1000)
  makeSparseFile(target, 8 * K64 + 1000, [{ offset: 2 * K64, bytes: a }, { offset: 3 * K64, bytes: c }, { offset: 6 * K64, bytes: c }, { offset: 8 * K64, bytes: d }])
  const [r] = await idealDelta({ base: [base], target: [target] })
  assert.is(r!.blockSize, K64)
  assert.is(r!.novelBlocks, 2)
  assert.is(r!.novelBytes, K64 + 1000)
  assert.ok(r!.novelZstdBytes > 0 && r!.novelZstdBytes < 2000, `compressed ${r!.novelZstdBytes}`)
  assert.is(r!.zeroBytes, 8 * K64 + 1000 - (3 * K64 + 1000))
})

test('without a base it is the cost of storing the target alone; random data does not compress', async () => {
  const dir = tmpDir('ankagit-bench-ideal-')
  const target = path.join(dir, 't.img')
  makeSparseFile(target, 64 * K64, [{ offset: 0, bytes: random('x') }, { offset: 40 * K64, bytes: random('y') }, { offset: 50 * K64, bytes: random('x') }])
  const [r] = await idealDelta({ base: [], target: [target] })
  assert.is(r!.novelBlocks, 2)
  assert.ok(r!.novelZstdBytes > 2 * K64 * 0.99, `compressed ${r!.novelZstdBytes}`)
})

test('block sizes are independent: 4 KiB blocks find a 4 KiB change that 64 KiB blocks count whole', async () => {
  const dir = tmpDir('ankagit-bench-ideal-')
  const base = path.join(dir, 'base.img')
  const target = path.join(dir, 'target.img')
  const a = random('a')
  const changed = Buffer.from(a)
  changed.fill(1, 4096, 8192)
  makeSparseFile(base, 4 * K64, [{ offset: 0, bytes: a }])
  makeSparseFile(target, 4 * K64, [{ offset: 0, bytes: changed }])
  const [small, big] = await idealDelta({ base: [base], target: [target], blockSizes: [4096, K64] })
  assert.is(small!.novelBytes, 4096)
  assert.is(big!.novelBytes, K64)
})

test('a block size that does not divide 1 MiB is refused', async () => {
  try {
    await idealDelta({ base: [], target: [], blockSizes: [3000] })
    assert.unreachable()
  } catch (err) {
    assert.match((err as Error).message, /invalid block size '3000'/)
  }
})

test.run()
