/**
 * Hostile bytes for everything a daemon or client decodes from the wire (PROTOCOL.md): frame streams
 * (records, frame tables, END totals, and the frames' zstd data and object hashes as verify-frame
 * checks them), id lists, and the JSON messages. Each must throw an AnkagitError or decode: never
 * another exception type, never a hang. Frame streams and id lists that decode must also encode
 * back byte for byte (one reading per stream); JSON messages are checked on arbitrary JSON, and on
 * valid messages with their fields swapped for arbitrary JSON values.
 */
import { suite } from 'uvu'
import fc from 'fast-check'
import { AnkagitError } from '../../src/errors.js'
import { hashObjectBytes, idFromBytes } from '../../src/objects/id.js'
import { compressFrame } from '../../src/pack/zstd.js'
import { verifyFrame } from '../../src/pack/verify-frame.js'
import type { FrameObject } from '../../src/pack/frame.js'
import { encodeEndRecord, encodeFrameRecordHead, encodeHeaderRecord, encodeStreamStart, FrameStreamWriter } from '../../src/transport/frame-stream.js'
import { type StreamRecord, readFrameStream } from '../../src/transport/frame-stream-reader.js'
import { decodeIds } from '../../src/transport/id-list.js'
import * as msg from '../../src/transport/messages.js'
import { DecoderTally, checkDecoder, fuzzDecoder, mutated, runs, seed } from './decoder-property.js'

const test = suite('fuzz: protocol messages and frame streams')

/** A valid frame stream: an optional header, 1-3 frames of 1-4 small chunks each, END. */
const validStream: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.boolean(), fc.array(fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }))
  .map(([header, frames]) => {
    const w = new FrameStreamWriter()
    const parts = [...w.start()]
    if (header) parts.push(encodeHeaderRecord({ common: [] }))
    for (const bodies of frames) {
      const objects: FrameObject[] = []
      let offset = 0
      for (const [i, b] of bodies.entries()) {
        const body = Buffer.concat([Buffer.from([i]), b])
        objects.push({ id: hashObjectBytes('chunk', body), kind: 'chunk', offset, length: body.length })
        offset += body.length
      }
      const raw = Buffer.concat(bodies.map((b, i) => Buffer.concat([Buffer.from([i]), b])))
      parts.push(...w.frame(compressFrame(raw), objects))
    }
    parts.push(...w.end())
    return Buffer.concat(parts)
  })

/** Reads a whole stream (fed in pieces of `piece` bytes), verifying each frame as a receiver does;
 *  returns the records re-encoded (undefined with a header record: JSON has many spellings of one
 *  value). Throws what the reader or verification throws. */
async function readAndVerify(bytes: Uint8Array, piece: number): Promise<Buffer | undefined> {
  async function* source() {
    for (let i = 0; i < bytes.length; i += piece) yield bytes.subarray(i, i + piece)
  }
  const out: Buffer[] = [encodeStreamStart()]
  let header = false
  for await (const r of readFrameStream(source(), { what: 'fuzzed stream' }) as AsyncIterable<StreamRecord>) {
    if (r.type === 'header') header = true
    else if (r.type === 'frame') {
      verifyFrame(r.data, r.objects, 'fuzzed frame', false)
      out.push(encodeFrameRecordHead(r.objects, r.data.length), r.data)
    } else out.push(encodeEndRecord(r.totals))
  }
  return header ? undefined : Buffer.concat(out)
}

test('frame streams: arbitrary bytes and mutated valid streams, fed in pieces of any size', async () => {
  const tally = new DecoderTally('frame stream (read and verified)')
  tally.roundTrip = true
  const check = async (bytes: Uint8Array, piece: number) => {
    let again: Buffer | undefined
    try {
      again = await readAndVerify(bytes, piece)
    } catch (err) {
      if (err instanceof AnkagitError) return void tally.rejected++
      throw new Error(`frame stream threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message} on ${Buffer.from(bytes).toString('hex').slice(0, 400)}`)
    }
    tally.accepted++
    if (again && !again.equals(Buffer.from(bytes))) throw new Error(`a frame stream read back differently: ${Buffer.from(bytes).toString('hex').slice(0, 400)}`)
  }
  const piece = fc.integer({ min: 1, max: 64 })
  await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), piece, check), { numRuns: runs(), seed: seed() })
  await fc.assert(fc.asyncProperty(mutated(validStream), piece, check), { numRuns: runs(), seed: seed() + 1 })
  const before = tally.accepted
  await fc.assert(fc.asyncProperty(validStream, piece, check), { numRuns: runs() / 10, seed: seed() + 2 })
  if (tally.accepted !== before + runs() / 10) throw new Error('a valid frame stream was refused')
  tally.report()
})

test('id lists', () => {
  const valid = fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 8 }).map((ids) => Buffer.concat(ids))
  fuzzDecoder('id list', { decode: (b) => decodeIds(Buffer.from(b), 8), encode: (ids) => ids, valid }).report()
})

const objectId = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => idFromBytes(Buffer.from(b)))
const refName = fc.constantFrom('refs/heads/main', 'refs/tags/v1', 'refs/heads/a/b', 'refs/remotes/origin/x')

/** Each JSON message decoder, with generators of valid messages. */
const messages: Array<{ name: string; decode: (v: Record<string, unknown>) => unknown; valid: fc.Arbitrary<Record<string, unknown>> }> = [
  {
    name: 'refs advertisement',
    decode: msg.decodeAdvertisement,
    valid: fc.record({ refs: fc.array(fc.tuple(refName, objectId)), head: fc.option(fc.constant('refs/heads/main')) }).map((a) =>
      msg.encodeAdvertisement({ repository: 'vm', head: a.head as never, refs: a.refs as never, capabilities: ['ankagit/1'], limits: { idsPerRequest: 1024, frameRawMax: 2 << 20, objectsPerFrame: 2048, streams: 2 } }),
    ),
  },
  { name: 'negotiate request', decode: msg.decodeNegotiateRequest, valid: fc.record({ wants: fc.array(objectId, { minLength: 1, maxLength: 3 }), haves: fc.array(objectId, { maxLength: 3 }) }).map(msg.encodeNegotiateRequest) },
  { name: 'negotiate header', decode: msg.decodeNegotiateHeader, valid: fc.array(objectId, { maxLength: 3 }).map((common) => msg.encodeNegotiateHeader({ common })) },
  { name: 'upload result', decode: msg.decodeUploadResult, valid: fc.record({ frames: fc.nat(), objects: fc.nat(), bytes: fc.nat(), stored: fc.nat() }) },
  {
    name: 'update-refs request',
    decode: msg.decodeRefUpdates,
    valid: fc.uniqueArray(fc.record({ name: refName, old: fc.option(objectId), new: fc.option(objectId), force: fc.boolean() }), { minLength: 1, maxLength: 3, selector: (u) => u.name }).map((u) => msg.encodeRefUpdates(u as never)),
  },
  { name: 'update-refs result', decode: msg.decodeRefUpdateResult, valid: fc.dictionary(refName, fc.option(objectId)).map((refs) => ({ refs })) },
]

/** A valid message with one field, or one field of a nested object or list, replaced by any JSON value. */
function withFieldReplaced(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(valid, fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(([v, i, j, junk]) => {
    const copy = structuredClone(v)
    const keys = Object.keys(copy)
    if (keys.length === 0) return copy
    const key = keys[i % keys.length]!
    const inner = copy[key]
    if (inner && typeof inner === 'object' && j % 2 === 0) {
      const innerKeys = Object.keys(inner)
      if (innerKeys.length > 0) (inner as Record<string, unknown>)[innerKeys[j % innerKeys.length]!] = junk
      return copy
    }
    copy[key] = junk
    return copy
  })
}

test('JSON messages: arbitrary JSON, mutated bytes of valid messages, and valid messages with a field replaced', () => {
  for (const m of messages) {
    const tally = new DecoderTally(`${m.name} (JSON)`)
    const decode = (b: Uint8Array) => m.decode(msg.parseJsonBody(Buffer.from(b), m.name))
    const check = (b: Uint8Array) => checkDecoder(tally, b, decode)
    const json = (v: unknown) => msg.encodeJson(v)
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }).map(json), check), { numRuns: runs() / 3, seed: seed() })
    fc.assert(fc.property(mutated(m.valid.map(json)), check), { numRuns: runs() / 3, seed: seed() + 1 })
    fc.assert(fc.property(withFieldReplaced(m.valid).map(json), check), { numRuns: runs() / 3, seed: seed() + 2 })
    fc.assert(fc.property(m.valid.map(json), (b) => {
      const before = tally.accepted
      check(b)
      if (tally.accepted !== before + 1) throw new Error(`${m.name}: a valid message was refused: ${Buffer.from(b).toString()}`)
    }), { numRuns: 100, seed: seed() + 3 })
    tally.report()
  }
})

test.run()
