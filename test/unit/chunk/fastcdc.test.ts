import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { GEAR, GEAR_SEED, NORMALIZATION_LEVEL, fastcdcCut, gearMasks } from '../../../src/chunk/fastcdc.js'
import { prng, randomBytes } from './input.js'

const test = suite('fastcdc')
const MIN = 2048
const AVG = 8192
const MAX = 32768
const data = randomBytes(prng(7), 4 << 20)

test('the gear table is xorshift32 from the documented seed', () => {
  assert.is(GEAR_SEED, 0x616e6b61)
  assert.is(GEAR.length, 256)
  // First outputs of xorshift32(13, 17, 5) from 0x616e6b61, worked out independently with BigInt.
  let s = BigInt(GEAR_SEED)
  const mask = (1n << 32n) - 1n
  for (let i = 0; i < 256; i++) {
    s ^= (s << 13n) & mask
    s ^= s >> 17n
    s ^= (s << 5n) & mask
    assert.is(GEAR[i], Number(s), `GEAR[${i}]`)
  }
  assert.is(new Set(GEAR).size, 256, 'no repeated entries')
})

test('masks take the top bits, log2(avg) plus and minus the normalization level', () => {
  assert.is(NORMALIZATION_LEVEL, 2)
  const { strict, loose } = gearMasks(1 << 16)
  assert.is(strict >>> 0, 0xffffc000) // 18 bits
  assert.is(loose >>> 0, 0xfffc0000) // 14 bits
})

test('cuts fall in (min, max], and -1 asks for more only when no cut is decided', () => {
  let p = 0
  let n = 0
  while (p < data.length) {
    const len = fastcdcCut(data.subarray(p), MIN, AVG, MAX, true)
    assert.ok(len > 0 && len <= MAX, `chunk ${n} at ${p}: ${len}`)
    if (p + len < data.length) assert.ok(len > MIN, `chunk ${n} at ${p} shorter than min: ${len}`)
    p += len
    n++
  }
  // Normalized chunking keeps the mean near avg + min on random data (measured: about 1.2 * avg).
  const mean = data.length / n
  assert.ok(mean > AVG && mean < 1.5 * AVG, `mean chunk ${mean}`)
})

test('a cut decided on a prefix is the cut of every longer buffer (prefix consistency)', () => {
  for (let start = 0; start < 1 << 20; start += 77777) {
    const full = fastcdcCut(data.subarray(start), MIN, AVG, MAX, false)
    assert.ok(full > 0)
    for (const len of [MIN, MIN + 1, full - 1, full, full + 1, MAX - 1]) {
      const got = fastcdcCut(data.subarray(start, start + len), MIN, AVG, MAX, false)
      assert.is(got, len >= full ? full : -1, `prefix ${len} of buffer at ${start}`)
    }
  }
})

test('short buffers: the whole rest at the end, -1 before it', () => {
  assert.is(fastcdcCut(data.subarray(0, 100), MIN, AVG, MAX, false), -1)
  assert.is(fastcdcCut(data.subarray(0, 100), MIN, AVG, MAX, true), 100)
  assert.is(fastcdcCut(new Uint8Array(0), MIN, AVG, MAX, true), 0)
  assert.is(fastcdcCut(new Uint8Array(0), MIN, AVG, MAX, false), -1)
})

test('a buffer with no cut point is cut at max', () => {
  // Constant bytes give a constant hash after 32 bytes; this one never has the mask bits zero.
  const flat = new Uint8Array(MAX * 2).fill(0x5a)
  assert.is(fastcdcCut(flat, MIN, AVG, MAX, false), MAX)
  assert.is(fastcdcCut(flat.subarray(0, MAX - 1), MIN, AVG, MAX, false), -1)
  assert.is(fastcdcCut(flat.subarray(0, MAX - 1), MIN, AVG, MAX, true), MAX - 1)
})

test.run()
