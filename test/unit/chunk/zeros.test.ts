import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { findZeroRuns, isAllZero, nextZeroRun, zeroRunEnd, zeroRunStart, zeroView } from '../../../src/chunk/zeros.js'
import { InvalidArgumentError } from '../../../src/errors.js'
import { prng } from './input.js'

const test = suite('zeros')

/** Obvious, slow reference: every maximal zero run of at least minRun bytes. */
function naiveRuns(buf: Uint8Array, minRun: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let i = 0; i < buf.length;) {
    if (buf[i] !== 0) { i++; continue }
    let j = i
    while (j < buf.length && buf[j] === 0) j++
    if (j - i >= minRun) out.push([i, j])
    i = j
  }
  return out
}

/** Mostly non-zero bytes with zero runs of random lengths (1 byte to 3 * maxRun), some touching the ends. */
function sparseBuffer(seed: number, length: number, maxRun: number): Uint8Array {
  const next = prng(seed)
  const buf = new Uint8Array(length)
  for (let i = 0; i < length; i++) buf[i] = 1 + (next() % 255)
  for (let k = 0; k < 40; k++) {
    const start = k === 0 ? 0 : k === 1 ? length - 1 - (next() % maxRun) : next() % length
    buf.fill(0, start, Math.min(length, start + 1 + (next() % (3 * maxRun))))
  }
  return buf
}

test('isAllZero', () => {
  assert.ok(isAllZero(new Uint8Array(0)))
  assert.ok(isAllZero(new Uint8Array(3 << 20)))
  for (const at of [0, 1, 65535, 65536, 100000, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (3 << 20) - 1]) {
    const b = new Uint8Array(3 << 20)
    b[at] = 1
    assert.not.ok(isAllZero(b), `non-zero at ${at}`)
  }
  const big = new Uint8Array(1 << 20)
  assert.ok(isAllZero(big.subarray(5, 70001)), 'views at odd offsets')
})

test('findZeroRuns matches a naive scan for many run lengths', () => {
  for (const minRun of [1, 2, 3, 100, 4095, 4096, 4097, 16384]) {
    for (let seed = 1; seed <= 6; seed++) {
      const buf = sparseBuffer(seed * 131 + minRun, 300_000, minRun)
      assert.equal(findZeroRuns(buf, minRun), naiveRuns(buf, minRun), `minRun ${minRun} seed ${seed}`)
    }
  }
})

test('nextZeroRun clips at from, and finds nothing in data', () => {
  const buf = new Uint8Array(10000).fill(7)
  buf.fill(0, 1000, 6000)
  assert.equal(nextZeroRun(buf, 0, 5000), [1000, 6000])
  assert.equal(nextZeroRun(buf, 2000, 4000), [2000, 6000])
  assert.is(nextZeroRun(buf, 2000, 4001), undefined)
  assert.is(nextZeroRun(buf, 6000, 1), undefined)
})

test('zeroRunEnd and zeroRunStart stop at the first non-zero byte and at their limits', () => {
  const buf = new Uint8Array(20000).fill(9)
  buf.fill(0, 100, 15000)
  assert.is(zeroRunEnd(buf, 100), 15000)
  assert.is(zeroRunEnd(buf, 200, 9000), 9000)
  assert.is(zeroRunEnd(buf, 99), 99)
  assert.is(zeroRunStart(buf, 15000), 100)
  assert.is(zeroRunStart(buf, 15000, 5000), 5000)
  assert.is(zeroRunStart(buf, 15001), 15001)
})

test('zeroRunEnd and zeroRunStart over long runs find the exact edge', () => {
  const buf = new Uint8Array(5 << 20)
  for (const at of [4095, 4096, 12289, 65536 + 7, (1 << 20) - 1, (1 << 20) + 4096, 3_000_001, (5 << 20) - 1]) {
    buf[at] = 3
    assert.is(zeroRunEnd(buf, 0), at, `end with a non-zero byte at ${at}`)
    assert.is(zeroRunStart(buf, buf.length), at + 1 === buf.length ? buf.length : at + 1, `start with a non-zero byte at ${at}`)
    assert.is(zeroRunEnd(buf, 0, at), at, `end at the limit ${at}`)
    buf[at] = 0
  }
  assert.is(zeroRunEnd(buf, 17), buf.length)
  assert.is(zeroRunStart(buf, buf.length - 5, 9), 9)
})

test('zeroView is zero and never longer than asked', () => {
  assert.is(zeroView(10).length, 10)
  assert.ok(zeroView(1 << 30).length > 0 && isAllZero(zeroView(1 << 30)))
})

test('a run length below 1 is refused', () => {
  assert.throws(() => findZeroRuns(new Uint8Array(4), 0), (e: unknown) => e instanceof InvalidArgumentError && /invalid zero run length '0'/.test((e as Error).message))
})

test.run()
