import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CDC_DEFAULT, CHUNK_MAX, type ChunkerParams, FIXED_DEFAULT, findCut, maxChunkSize, validateParams } from '../../../src/chunk/chunker.js'
import { fastcdcCut } from '../../../src/chunk/fastcdc.js'
import { InvalidArgumentError } from '../../../src/errors.js'
import { prng, randomBytes } from './input.js'

const test = suite('chunker')

function rejects(p: unknown, message: RegExp): void {
  assert.throws(
    () => validateParams(p as ChunkerParams),
    (e: unknown) => e instanceof InvalidArgumentError && message.test((e as Error).message),
    JSON.stringify(p),
  )
}

test('the defaults are valid and within CHUNK_MAX', () => {
  assert.is(CHUNK_MAX, 4 << 20)
  assert.equal(FIXED_DEFAULT, { kind: 'fixed', size: 65536 })
  assert.equal(CDC_DEFAULT, { kind: 'fastcdc', min: 16384, avg: 65536, max: 262144 })
  assert.is(validateParams(FIXED_DEFAULT), FIXED_DEFAULT)
  assert.is(validateParams(CDC_DEFAULT), CDC_DEFAULT)
  assert.is(maxChunkSize(FIXED_DEFAULT), 65536)
  assert.is(maxChunkSize(CDC_DEFAULT), 262144)
})

test('validateParams accepts the edges of the ranges', () => {
  validateParams({ kind: 'fixed', size: 64 })
  validateParams({ kind: 'fixed', size: CHUNK_MAX })
  validateParams({ kind: 'fixed', size: 65537 })
  validateParams({ kind: 'fastcdc', min: 64, avg: 128, max: 129 })
  validateParams({ kind: 'fastcdc', min: 1 << 20, avg: 2 << 20, max: CHUNK_MAX })
})

test('validateParams refuses nonsense with a message naming it', () => {
  rejects({ kind: 'fixed', size: 0 }, /^invalid fixed chunk size '0': must be an integer from 64 to 4194304$/)
  rejects({ kind: 'fixed', size: 1.5 }, /size '1.5'/)
  rejects({ kind: 'fixed', size: CHUNK_MAX + 1 }, /size '4194305'/)
  rejects({ kind: 'fixed', size: '65536' }, /size '65536'/)
  rejects({ kind: 'fastcdc', min: 16384, avg: 65536, max: 8 << 20 }, /^invalid fastcdc max '8388608'/)
  rejects({ kind: 'fastcdc', min: 16, avg: 65536, max: 262144 }, /^invalid fastcdc min '16'/)
  rejects({ kind: 'fastcdc', min: 16384, avg: 60000, max: 262144 }, /^invalid fastcdc avg '60000': must be a power of two$/)
  rejects({ kind: 'fastcdc', min: 65536, avg: 65536, max: 262144 }, /^invalid fastcdc sizes '65536\/65536\/262144': need min < avg < max$/)
  rejects({ kind: 'fastcdc', min: 16384, avg: 65536, max: 65536 }, /need min < avg < max/)
  rejects({ kind: 'rabin', size: 4096 }, /^unknown chunker kind 'rabin'$/)
  rejects(null, /^invalid chunker params 'null'$/)
})

test('fixed findCut: size while the buffer holds a block, the rest at the end, else -1', () => {
  const p: ChunkerParams = { kind: 'fixed', size: 4096 }
  assert.is(findCut(new Uint8Array(10000), p, false), 4096)
  assert.is(findCut(new Uint8Array(4096), p, false), 4096)
  assert.is(findCut(new Uint8Array(4095), p, false), -1)
  assert.is(findCut(new Uint8Array(4095), p, true), 4095)
  assert.is(findCut(new Uint8Array(0), p, true), 0)
})

test('fastcdc findCut is fastcdcCut with the params', () => {
  const buf = randomBytes(prng(3), 1 << 20)
  for (let p = 0; p < 500_000; p += 50_000) {
    const want = fastcdcCut(buf.subarray(p), CDC_DEFAULT.min, CDC_DEFAULT.avg, CDC_DEFAULT.max, false)
    assert.is(findCut(buf.subarray(p), CDC_DEFAULT, false), want)
    assert.ok(want > CDC_DEFAULT.min && want <= CDC_DEFAULT.max)
  }
})

test.run()
