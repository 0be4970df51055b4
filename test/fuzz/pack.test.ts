/**
 * Hostile bytes for the pack readers: pack index files (arbitrary bytes, mutations, and mutations with
 * the checksum sealed again so the checks behind it are reached) and zstd frames, including
 * decompression bombs: a frame that declares a small size and inflates to more, a frame that declares
 * a huge size, a frame that declares none, and trailing or concatenated frames.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { createRequire } from 'node:module'
import { blake3 } from '@napi-rs/blake-hash'
import { CorruptObjectError } from '../../src/errors.js'
import { OBJECT_KINDS } from '../../src/objects/id.js'
import { PackIndex, type PackEntry, encodePackIndex } from '../../src/pack/pack-index.js'
import { FRAME_RAW_MAX, compressFrame, decompressFrame } from '../../src/pack/zstd.js'
import { DecoderTally, checkDecoder, fuzzDecoder, mutated, runs, seed } from './decoder-property.js'

const test = suite('fuzz: pack index and zstd frames')
const MiB = 1 << 20

const entry: fc.Arbitrary<PackEntry> = fc.record({
  id: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b)),
  kind: fc.constantFrom(...OBJECT_KINDS),
  frameOffset: fc.integer({ min: 8, max: 2 ** 40 }),
  frameLength: fc.nat({ max: 0xffffffff }),
  offset: fc.nat({ max: 0xffffffff }),
  length: fc.nat({ max: 0xffffffff }),
})

const validIndex = fc
  .tuple(fc.uniqueArray(entry, { maxLength: 6, selector: (e) => Buffer.from(e.id).toString('hex') }), fc.uint8Array({ minLength: 32, maxLength: 32 }))
  .map(([entries, hash]) => encodePackIndex(entries, Buffer.from(hash)))

function decodeIndex(b: Uint8Array): PackIndex {
  return new PackIndex(Buffer.from(b), 'index')
}

function encodeIndex(index: PackIndex): Buffer {
  return encodePackIndex(Array.from({ length: index.count }, (_, i) => index.entry(i)), index.packHash)
}

/** Recomputes the trailing checksum, so a mutation gets past it to the checks behind. */
function sealed(b: Uint8Array): Buffer {
  const buf = Buffer.from(b)
  if (buf.length < 32) return buf
  blake3(buf.subarray(0, buf.length - 32)).copy(buf, buf.length - 32)
  return buf
}

test('pack index files', () => {
  const t = fuzzDecoder('pack index', { decode: decodeIndex, encode: encodeIndex, valid: validIndex })
  fc.assert(fc.property(mutated(validIndex).map(sealed), (b) => checkDecoder(t, b, decodeIndex, encodeIndex)), { numRuns: runs(), seed: seed() + 3 })
  assert.ok(t.accepted > 0 && t.rejected > 0)
  t.report()
})

const zstd = createRequire(import.meta.url)('zstd-napi/binding') as typeof import('zstd-napi/binding.js')

/** Offsets of the frame content size field in a zstd frame header (RFC 8878 § 3.1.1.1). */
function contentSizeField(frame: Buffer): { at: number; bytes: number } {
  const fhd = frame[4]!
  const fcsFlag = fhd >> 6
  const single = (fhd >> 5) & 1
  const dictBytes = [0, 1, 2, 4][fhd & 3]!
  const bytes = [single ? 1 : 0, 2, 4, 8][fcsFlag]!
  return { at: 5 + (single ? 0 : 1) + dictBytes, bytes }
}

function withDeclaredSize(frame: Buffer, size: bigint): Buffer {
  const f = Buffer.from(frame)
  const { at, bytes } = contentSizeField(f)
  if (bytes === 8) f.writeBigUInt64LE(size, at)
  else if (bytes === 4) f.writeUInt32LE(Number(size), at)
  else if (bytes === 2) f.writeUInt16LE(Number(size) - 256, at)
  else f[at] = Number(size)
  return f
}

function refused(frame: Uint8Array, what: string): void {
  assert.throws(() => decompressFrame(frame, 'frame'), (e: unknown) => e instanceof CorruptObjectError, what)
}

test('zstd frames: arbitrary bytes and mutations decompress within the limit or are refused', () => {
  const t = new DecoderTally('zstd frame')
  const decode = (b: Uint8Array) => {
    const out = decompressFrame(b, 'frame')
    if (out.length > FRAME_RAW_MAX) throw new Error(`frame inflated to ${out.length} bytes`)
    return out
  }
  const valid = fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.alloc(4096, Buffer.from(b.length ? b : [0])))).map((raw) => compressFrame(raw, 1))
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (b) => checkDecoder(t, b, decode)), { numRuns: runs(), seed: seed() })
  fc.assert(fc.property(mutated(valid), (b) => checkDecoder(t, b, decode)), { numRuns: runs(), seed: seed() + 1 })
  // Every mutation that decompresses must give what was compressed, or be refused: zstd frames carry no
  // checksum here, so this is only a check of the limits, not of integrity (ids give that).
  assert.ok(t.accepted > 0 && t.rejected > 0)
  t.report()
})

test('decompression bombs and declared sizes beyond the limit are refused before allocating', () => {
  const zeros = compressFrame(Buffer.alloc(4 * MiB), 3)
  assert.ok(zeros.length < 4096, 'a 4 MiB zero frame compresses to a few hundred bytes')
  assert.is(decompressFrame(zeros, 'frame').length, 4 * MiB)
  // Declares 1 KiB, inflates to 4 MiB: refused, nothing written past the 1 KiB buffer.
  refused(withDeclaredSize(zeros, 1024n), 'small declared size, large content')
  // Declares more than FRAME_RAW_MAX (up to 2^60): refused before any buffer is allocated.
  const rss = process.memoryUsage().rss
  assert.is(contentSizeField(zeros).bytes, 4)
  for (const size of [BigInt(FRAME_RAW_MAX) + 1n, 1n << 31n, (1n << 32n) - 1n]) refused(withDeclaredSize(zeros, size), `declared size ${size}`)
  for (const size of [1n << 32n, 1n << 40n, 1n << 60n, (1n << 64n) - 1n]) {
    // A hand-made frame: single segment, 8-byte content size, one empty raw last block.
    const f = Buffer.alloc(4 + 1 + 8 + 3)
    f.writeUInt32LE(0xfd2fb528, 0)
    f[4] = 0xe0
    f.writeBigUInt64LE(size, 5)
    f[13] = 0x01
    refused(f, `declared size ${size}`)
  }
  assert.ok(process.memoryUsage().rss - rss < 256 * MiB, 'refusing huge declared sizes allocated nothing large')
  // The limit itself is allowed; one byte more is refused.
  assert.is(decompressFrame(compressFrame(Buffer.alloc(FRAME_RAW_MAX)), 'frame').length, FRAME_RAW_MAX)
  refused(compressFrame(Buffer.alloc(FRAME_RAW_MAX + 1)), 'a real frame one byte over the limit')
  // No declared size (a streaming frame): refused, since the size could not be checked first.
  const cctx = new zstd.CCtx()
  cctx.setParameter(zstd.CParameter.contentSizeFlag, 0)
  const out = Buffer.alloc(1 << 16)
  const n = cctx.compress2(out, Buffer.alloc(MiB))
  refused(out.subarray(0, n), 'no declared size')
  // Two frames back to back, a frame with trailing bytes, a skippable frame: refused.
  const small = compressFrame(Buffer.from('hello'))
  refused(Buffer.concat([small, small]), 'two frames')
  refused(Buffer.concat([small, Buffer.from([0])]), 'trailing byte')
  const skippable = Buffer.alloc(12)
  skippable.writeUInt32LE(0x184d2a50, 0)
  skippable.writeUInt32LE(4, 4)
  refused(skippable, 'skippable frame')
  refused(Buffer.alloc(0), 'empty')
})

test.run()
