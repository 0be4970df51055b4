import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CDC_DEFAULT, type CdcParams, type ChunkerParams, FIXED_DEFAULT } from '../../../src/chunk/chunker.js'
import { createSplitter, type Extent } from '../../../src/chunk/splitter.js'
import { findZeroRuns, isAllZero } from '../../../src/chunk/zeros.js'
import { InvalidArgumentError } from '../../../src/errors.js'
import { hashObject } from '../../../src/objects/id.js'
import { prng, randomBytes, testInput } from './input.js'
import { shape, splitAll } from './split-all.js'

const test = suite('splitter')
const input = testInput()
const SMALL_CDC: CdcParams = { kind: 'fastcdc', min: 2048, avg: 8192, max: 32768 }
const ALL: ChunkerParams[] = [FIXED_DEFAULT, { kind: 'fixed', size: 4096 }, CDC_DEFAULT, SMALL_CDC]
const name = (p: ChunkerParams) => (p.kind === 'fixed' ? `fixed ${p.size}` : `fastcdc ${p.min}/${p.avg}/${p.max}`)

function assertTiles(extents: Extent[], bytes: Uint8Array, start = 0): void {
  let at = start
  let prev: Extent | undefined
  for (const e of extents) {
    assert.is(e.offset, at, `extent starts where the previous ended (${at})`)
    assert.ok(e.length > 0, 'no empty extent')
    const want = bytes.subarray(e.offset - start, e.offset - start + e.length)
    if (e.kind === 'hole') {
      assert.ok(isAllZero(want), `hole at ${e.offset} covers zeros`)
      assert.is.not(prev?.kind, 'hole', `holes at ${prev?.offset} and ${e.offset} are merged`)
    } else {
      assert.is(e.bytes.length, e.length)
      assert.ok(Buffer.from(e.bytes).equals(want), `data at ${e.offset} holds the input bytes`)
    }
    at += e.length
    prev = e
  }
  assert.is(at, start + bytes.length, 'extents cover every byte')
}

const ids = (extents: Extent[]) => extents.flatMap((e) => (e.kind === 'data' ? [hashObject('chunk', e.bytes)] : []))

test('extents tile the input exactly, data holds the bytes, holes hold zeros', () => {
  for (const p of ALL) assertTiles(splitAll(p, input), input)
})

test('the same extents whatever buffer sizes the input is fed in', () => {
  for (const p of ALL) {
    const want = shape(splitAll(p, input))
    for (const feed of [[4096], [7, 100003, 13], [65536], [1 << 20], [input.length]]) {
      assert.equal(shape(splitAll(p, input, feed)), want, `${name(p)} fed in ${feed.join('/')}`)
    }
  }
})

test('the same extents when fed one byte at a time', () => {
  const part = input.subarray(0, 1_700_000) // random, short zero run, text, a hole, random
  for (const p of [FIXED_DEFAULT, CDC_DEFAULT, SMALL_CDC]) {
    assert.equal(shape(splitAll(p, part, [1])), shape(splitAll(p, part)), name(p))
  }
})

test('fastcdc: no chunk above max, none below min except the last before a hole or the end', () => {
  for (const p of [CDC_DEFAULT, SMALL_CDC]) {
    const extents = splitAll(p, input)
    extents.forEach((e, i) => {
      if (e.kind !== 'data') return
      assert.ok(e.length <= p.max, `chunk at ${e.offset}: ${e.length} > max`)
      if (e.length < p.min) assert.is.not(extents[i + 1]?.kind, 'data', `short chunk at ${e.offset} is followed by data`)
    })
  }
})

test('fastcdc: holes are exactly the zero runs of at least min bytes', () => {
  for (const p of [CDC_DEFAULT, SMALL_CDC]) {
    const holes = splitAll(p, input).flatMap((e) => (e.kind === 'hole' ? [[e.offset, e.offset + e.length]] : []))
    assert.equal(holes, findZeroRuns(input, p.min), name(p))
  }
})

test('fastcdc: a zero run of exactly min bytes is a hole, one byte shorter stays data', () => {
  const data = randomBytes(prng(12), 200_000)
  for (const [run, holes] of [[SMALL_CDC.min, 1], [SMALL_CDC.min - 1, 0]] as const) {
    const buf = data.slice()
    buf.fill(0, 50_000, 50_000 + run)
    for (const feed of [[1 << 20], [4096], [50_001]]) {
      const extents = splitAll(SMALL_CDC, buf, feed)
      assert.equal(extents.filter((e) => e.kind === 'hole').map((e) => [e.offset, e.length]), holes ? [[50_000, run]] : [], `run ${run}, fed ${feed}`)
    }
  }
})

test('fixed: every block is aligned and full but the last, and holes are the all-zero blocks', () => {
  const size = FIXED_DEFAULT.size
  const extents = splitAll(FIXED_DEFAULT, input)
  const zeroBlocks: number[] = []
  for (let b = 0; b < input.length; b += size) if (isAllZero(input.subarray(b, b + size))) zeroBlocks.push(b)
  const holeBlocks: number[] = []
  for (const e of extents) {
    assert.is(e.offset % size, 0, `extent at ${e.offset} is aligned`)
    if (e.kind === 'hole') for (let b = e.offset; b < e.offset + e.length; b += size) holeBlocks.push(b)
    else assert.ok(e.length === size || e.offset + e.length === input.length, `block at ${e.offset} is full`)
  }
  assert.equal(holeBlocks, zeroBlocks)
  assert.ok(zeroBlocks.length >= 16, 'the input has whole zero blocks')
})

test('fastcdc resynchronises after bytes inserted near the start; fixed does not', () => {
  const data = randomBytes(prng(99), 4 << 20)
  const edited = new Uint8Array(data.length + 100)
  edited.set(data.subarray(0, 5000))
  edited.set(randomBytes(prng(100), 100), 5000)
  edited.set(data.subarray(5000), 5100)
  for (const p of [CDC_DEFAULT, SMALL_CDC]) {
    const before = new Set(ids(splitAll(p, data)))
    const after = ids(splitAll(p, edited))
    const novel = after.filter((id) => !before.has(id)).length
    assert.ok(novel <= 2, `${name(p)}: ${novel} of ${after.length} chunks are new`)
  }
  const before = new Set(ids(splitAll(FIXED_DEFAULT, data)))
  const novel = ids(splitAll(FIXED_DEFAULT, edited)).filter((id) => !before.has(id)).length
  assert.is(novel, 65, 'fixed: every block is new')
})

test('fixed aligns to the file offset: a split started at a block boundary matches the whole split', () => {
  const size = FIXED_DEFAULT.size
  const start = 5 * size
  const whole = shape(splitAll(FIXED_DEFAULT, input)).filter((s) => Number(s.slice(1).split('+')[0]) >= start)
  assert.equal(shape(splitAll(FIXED_DEFAULT, input.subarray(start), [1 << 20], start)), whole)
})

test('fixed with an unaligned start offset: a short first block, then aligned blocks', () => {
  const data = randomBytes(prng(5), 200_000)
  const extents = splitAll({ kind: 'fixed', size: 65536 }, data, [30_000], 70_000)
  assert.equal(shape(extents), ['d70000+61072', 'd131072+65536', 'd196608+65536', 'd262144+7856'])
  assertTiles(extents, data, 70_000)
})

test('fastcdc with a start offset: the same cuts, shifted', () => {
  const shifted = splitAll(CDC_DEFAULT, input, [1 << 20], 1_000_000).map((e) => `${e.offset - 1_000_000}+${e.length}`)
  assert.equal(shifted, splitAll(CDC_DEFAULT, input).map((e) => `${e.offset}+${e.length}`))
})

test('pushHole gives the extents of pushing that many zeros', () => {
  const data = randomBytes(prng(8), 300_000)
  for (const p of ALL) {
    for (const gap of [1, 1000, 20_000, 65536, 70_000, 5 << 20]) {
      const a = createSplitter(p)
      const b = createSplitter(p)
      const got = [...a.push(data.subarray(0, 100_000)), ...a.pushHole(gap), ...a.push(data.subarray(100_000)), ...a.end()]
      const want = [...b.push(data.subarray(0, 100_000)), ...b.push(new Uint8Array(gap)), ...b.push(data.subarray(100_000)), ...b.end()]
      assert.equal(shape(got), shape(want), `${name(p)} hole of ${gap}`)
    }
  }
})

test('pushHole of a terabyte costs nothing per byte', () => {
  for (const p of [FIXED_DEFAULT, CDC_DEFAULT]) {
    const s = createSplitter(p)
    const out = [...s.push(new Uint8Array([1])), ...s.pushHole(1e12), ...s.push(new Uint8Array([2])), ...s.end()]
    const hole = out.find((e) => e.kind === 'hole')
    assert.ok(hole && hole.length > 1e12 - 2 * 65536, `${name(p)}: ${shape(out).join(' ')}`)
    assert.is(out.reduce((n, e) => n + e.length, 0), 1e12 + 2)
  }
})

test('fixed returns whole blocks as views of the buffer pushed, without copying', () => {
  const buf = Buffer.from(randomBytes(prng(4), 4 * 65536))
  const extents = createSplitter(FIXED_DEFAULT).push(buf)
  assert.is(extents.length, 4)
  for (const e of extents) assert.ok(e.kind === 'data' && e.bytes.buffer === buf.buffer, `block at ${e.offset} is a view`)
})

test('empty and all-zero files', () => {
  for (const p of ALL) {
    assert.equal(createSplitter(p).end(), [])
    assert.equal(shape(splitAll(p, new Uint8Array(300_000))), ['h0+300000'], name(p))
  }
})

test('calls after end() and bad arguments throw InvalidArgumentError', () => {
  const s = createSplitter(CDC_DEFAULT)
  s.end()
  assert.throws(() => s.push(new Uint8Array(1)), (e: unknown) => e instanceof InvalidArgumentError && /splitter already ended/.test(String(e)))
  assert.throws(() => s.end(), /splitter already ended/)
  assert.throws(() => createSplitter(FIXED_DEFAULT, -1), /invalid start offset '-1'/)
  assert.throws(() => createSplitter({ kind: 'fixed', size: 3 }), (e: unknown) => e instanceof InvalidArgumentError)
  assert.throws(() => createSplitter(FIXED_DEFAULT).pushHole(-5), /invalid hole length '-5'/)
})

test.run()
