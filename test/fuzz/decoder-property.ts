/**
 * The property every decoder of stored or received bytes must hold, checked with fast-check on
 * arbitrary bytes and on mutations of valid encodings (bytes flipped, inserted, deleted, truncated,
 * duplicated): decoding either throws an AnkagitError, or returns a value that encodes back to exactly
 * the same bytes (one encoding per value, so an id can never name two readings of the same bytes).
 * Never another exception type: a TypeError or RangeError from a decoder is a bug a hostile peer or a
 * damaged disk can trigger.
 *
 * Runs per property: FUZZ_RUNS by default; ANKAGIT_SOAK=1 (npm run soak) multiplies them by 25.
 * The seed is fixed so a CI failure reproduces; ANKAGIT_FUZZ_SEED overrides it.
 */
import fc from 'fast-check'
import { AnkagitError } from '../../src/errors.js'

export const FUZZ_RUNS = 3000

export function runs(base = FUZZ_RUNS): number {
  return process.env.ANKAGIT_SOAK === '1' ? base * 25 : base
}

export function seed(): number {
  return Number(process.env.ANKAGIT_FUZZ_SEED ?? 20240605)
}

/** Counts what the decoder did with the inputs it was given, for the closing figures. */
export class DecoderTally {
  accepted = 0
  rejected = 0
  /** Whether accepted values were also encoded back and compared. */
  roundTrip = false
  constructor(readonly name: string) {}

  get total(): number {
    return this.accepted + this.rejected
  }

  report(): void {
    console.log(`fuzz figures: ${this.name}: ${this.total} inputs, ${this.accepted} decoded${this.roundTrip ? ' and re-encoded byte for byte' : ' within limits'}, ${this.rejected} refused with an AnkagitError`)
  }
}

/** Decodes bytes and checks the property; throws (failing the fast-check run) when it does not hold. */
export function checkDecoder<T>(tally: DecoderTally, bytes: Uint8Array, decode: (b: Uint8Array) => T, encode?: (v: T) => Uint8Array): void {
  let value: T
  try {
    value = decode(bytes)
  } catch (err) {
    if (err instanceof AnkagitError) {
      tally.rejected++
      return
    }
    throw new Error(`${tally.name} threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message} on ${hex(bytes)}`)
  }
  tally.accepted++
  if (!encode) return
  tally.roundTrip = true
  let again: Uint8Array
  try {
    again = encode(value)
  } catch (err) {
    throw new Error(`${tally.name} accepted bytes whose value does not encode (${(err as Error).message}): ${hex(bytes)}`)
  }
  if (!Buffer.from(again).equals(Buffer.from(bytes))) {
    throw new Error(`${tally.name} accepted bytes that encode back differently: ${hex(bytes)} -> ${hex(again)}`)
  }
}

function hex(b: Uint8Array): string {
  const s = Buffer.from(b).toString('hex')
  return s.length > 400 ? `${s.slice(0, 400)}... (${b.length} bytes)` : s
}

type Edit =
  | { op: 'flip'; at: number; bits: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'repeat'; at: number; length: number }

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x20, 0x2f, 0x2e) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
)

function applyEdit(b: Buffer, e: Edit): Buffer {
  const at = b.length === 0 ? 0 : e.at % (b.length + (e.op === 'insert' ? 1 : 0))
  switch (e.op) {
    case 'flip': {
      if (b.length === 0) return b
      const c = Buffer.from(b)
      c[at] = c[at]! ^ e.bits
      return c
    }
    case 'set': {
      if (b.length === 0) return b
      const c = Buffer.from(b)
      c[at] = e.byte
      return c
    }
    case 'insert':
      return Buffer.concat([b.subarray(0, at), e.bytes, b.subarray(at)])
    case 'delete':
      return Buffer.concat([b.subarray(0, at), b.subarray(at + e.length)])
    case 'truncate':
      return b.subarray(0, at)
    case 'repeat':
      return Buffer.concat([b.subarray(0, at + e.length), b.subarray(at)])
  }
}

/** Valid encodings with one to four edits applied. */
export function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([b, edits]) => edits.reduce<Buffer>((acc, e) => applyEdit(acc, e), Buffer.from(b)))
}

/** Runs the property over arbitrary bytes and over mutations of valid encodings; returns the tally. */
export function fuzzDecoder<T>(
  name: string,
  o: { decode: (b: Uint8Array) => T; encode?: (v: T) => Uint8Array; valid: fc.Arbitrary<Uint8Array>; maxLength?: number; runs?: number },
): DecoderTally {
  const tally = new DecoderTally(name)
  const n = runs(o.runs)
  const check = (b: Uint8Array) => checkDecoder(tally, b, o.decode, o.encode)
  fc.assert(fc.property(fc.uint8Array({ maxLength: o.maxLength ?? 600 }), check), { numRuns: n, seed: seed() })
  fc.assert(fc.property(mutated(o.valid), check), { numRuns: n, seed: seed() + 1 })
  // Valid encodings themselves must decode and re-encode (the generators are right, the property can pass).
  fc.assert(fc.property(o.valid, (b) => {
    const before = tally.accepted
    check(b)
    if (tally.accepted !== before + 1) throw new Error(`${name} refused a valid encoding: ${hex(b)}`)
  }), { numRuns: Math.max(100, n / 10), seed: seed() + 2 })
  return tally
}
