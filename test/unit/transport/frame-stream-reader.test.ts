import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readFrameStream, type StreamRecord } from '../../../src/transport/frame-stream-reader.js'
import { FrameStreamWriter, encodeFrameRecordHead, encodeStreamStart, RECORD_FRAME } from '../../../src/transport/frame-stream.js'
import { hashObjectBytes, type ObjectKind } from '../../../src/objects/id.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import type { FrameObject } from '../../../src/pack/frame.js'
import { ByteWriter } from '../../../src/objects/bytes.js'
import { CorruptObjectError, NotFoundError, ProtocolError } from '../../../src/errors.js'

const test = suite('readFrameStream')

function frameOf(bodies: Array<[ObjectKind, Buffer]>): { data: Buffer; objects: FrameObject[] } {
  const objects: FrameObject[] = []
  let offset = 0
  for (const [kind, body] of bodies) {
    objects.push({ id: hashObjectBytes(kind, body), kind, offset, length: body.length })
    offset += body.length
  }
  return { data: compressFrame(Buffer.concat(bodies.map((b) => b[1]))), objects }
}

function stream(frames: Array<{ data: Buffer; objects: FrameObject[] }>, header?: Record<string, unknown>): Buffer {
  const w = new FrameStreamWriter()
  const parts = [...w.start(header)]
  for (const f of frames) parts.push(...w.frame(f.data, f.objects))
  parts.push(...w.end())
  return Buffer.concat(parts)
}

/** Feeds bytes in small pieces, as a socket would. */
async function* pieces(buf: Buffer, size = 7): AsyncIterable<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size)
}

async function readAll(buf: Buffer, opts: Partial<Parameters<typeof readFrameStream>[1]> = {}): Promise<StreamRecord[]> {
  const out: StreamRecord[] = []
  for await (const r of readFrameStream(pieces(buf), { what: 'test stream', ...opts })) out.push(r)
  return out
}

async function rejects(p: Promise<unknown>, cls: Function, match: RegExp): Promise<void> {
  try {
    await p
  } catch (err) {
    assert.instance(err, cls)
    assert.match((err as Error).message, match)
    return
  }
  assert.unreachable('expected an error')
}

const a = frameOf([['chunk', Buffer.alloc(1000, 1)], ['chunk', Buffer.alloc(500, 2)]])
const b = frameOf([['chunk', Buffer.alloc(300, 3)]])

test('reads header, frames and end with totals, fed a few bytes at a time', async () => {
  const recs = await readAll(stream([a, b], { common: [] }))
  assert.equal(recs.map((r) => r.type), ['header', 'frame', 'frame', 'end'])
  assert.equal((recs[0] as { value: unknown }).value, { common: [] })
  const f = recs[1] as { objects: FrameObject[]; data: Buffer }
  assert.ok(f.data.equals(a.data))
  assert.equal(f.objects.map((o) => [o.id.toString('hex'), o.offset, o.length]), a.objects.map((o) => [o.id.toString('hex'), o.offset, o.length]))
  assert.equal((recs[3] as { totals: unknown }).totals, { frames: 2, objects: 3, rawBytes: 1800, frameBytes: a.data.length + b.data.length })
})

test('a stream cut anywhere before its end record is truncated', async () => {
  const full = stream([a, b])
  for (const cut of [0, 3, 5, 6, 40, full.length - 20, full.length - 1]) {
    await rejects(readAll(full.subarray(0, cut)), ProtocolError, /truncated/)
  }
})

test('an end record that disagrees with the stream is refused', async () => {
  const w = new FrameStreamWriter()
  const parts = [...w.start(), ...w.frame(a.data, a.objects)]
  w.totals.objects = 7
  parts.push(...w.end())
  await rejects(readAll(Buffer.concat(parts)), ProtocolError, /end record says/)
})

test('bytes after the end record are refused', async () => {
  await rejects(readAll(Buffer.concat([stream([a]), Buffer.from([0])])), ProtocolError, /after the end/)
})

test('wrong magic, unknown version and unknown record types are refused', async () => {
  await rejects(readAll(Buffer.from('HTTP/1.1 200 OK\r\n')), ProtocolError, /not a frame stream/)
  await rejects(readAll(Buffer.concat([Buffer.from('AKFS'), Buffer.from([9])])), ProtocolError, /version 9/)
  await rejects(readAll(Buffer.concat([encodeStreamStart(), Buffer.from([0x77])])), ProtocolError, /record type 119/)
})

test('a header is refused where the endpoint allows none, and after a frame', async () => {
  await rejects(readAll(stream([a], { x: 1 }), { header: false }), ProtocolError, /unexpected header/)
  const w = new FrameStreamWriter()
  const parts = [...w.start(), ...w.frame(a.data, a.objects)]
  parts.push(new ByteWriter().u8(1).varint(2).bytes(Buffer.from('{}')).finish())
  await rejects(readAll(Buffer.concat(parts)), ProtocolError, /unexpected header/)
})

test('kinds the endpoint does not allow are corrupt', async () => {
  const meta = frameOf([['commit', Buffer.from('not really a commit')]])
  await rejects(readAll(stream([meta]), { kinds: ['chunk'] }), CorruptObjectError, /is a commit, not allowed here/)
})

test('oversized declared sizes are refused before anything is read', async () => {
  const hugeChunk: FrameObject = { id: Buffer.alloc(32, 1), kind: 'chunk', offset: 0, length: (4 << 20) + 1 }
  await rejects(readAll(Buffer.concat([encodeStreamStart(), encodeFrameRecordHead([hugeChunk], 10)])), ProtocolError, /chunk .* of 4194305 bytes/)
  const bigNode: FrameObject = { id: Buffer.alloc(32, 1), kind: 'file', offset: 0, length: 70_000 }
  await rejects(readAll(Buffer.concat([encodeStreamStart(), encodeFrameRecordHead([bigNode], 10)])), ProtocolError, /file .* of 70000 bytes/)
  const far: FrameObject = { id: Buffer.alloc(32, 1), kind: 'chunk', offset: 16 << 20, length: 1 }
  await rejects(readAll(Buffer.concat([encodeStreamStart(), encodeFrameRecordHead([far], 10)])), ProtocolError, /ends past/)
  const ok: FrameObject = { id: Buffer.alloc(32, 1), kind: 'chunk', offset: 0, length: 10 }
  await rejects(readAll(Buffer.concat([encodeStreamStart(), encodeFrameRecordHead([ok], 64 << 20)])), ProtocolError, /frame of 67108864 bytes/)
  const tooMany = Buffer.concat([encodeStreamStart(), new ByteWriter().u8(RECORD_FRAME).varint(65_537).finish()])
  await rejects(readAll(tooMany), ProtocolError, /65537 objects/)
  const hugeHeader = Buffer.concat([encodeStreamStart(), new ByteWriter().u8(1).varint(2 << 20).finish()])
  await rejects(readAll(hugeHeader), ProtocolError, /header of 2097152 bytes/)
})

test('overlapping and repeated objects in one table are refused', async () => {
  const id = Buffer.alloc(32, 5)
  const overlap = [
    { id, kind: 'chunk' as const, offset: 0, length: 10 },
    { id: Buffer.alloc(32, 6), kind: 'chunk' as const, offset: 5, length: 10 },
  ]
  await rejects(readAll(Buffer.concat([encodeStreamStart(), encodeFrameRecordHead(overlap, 4)])), ProtocolError, /overlaps/)
  const twice = [
    { id, kind: 'chunk' as const, offset: 0, length: 10 },
    { id, kind: 'chunk' as const, offset: 10, length: 10 },
  ]
  await rejects(readAll(Buffer.concat([encodeStreamStart(), encodeFrameRecordHead(twice, 4)])), ProtocolError, /listed twice/)
})

test('non-minimal varints are refused', async () => {
  const bad = Buffer.concat([encodeStreamStart(), Buffer.from([RECORD_FRAME, 0x81, 0x00])])
  await rejects(readAll(bad), ProtocolError, /non-minimal varint/)
})

test('an error record becomes the error the sender reported', async () => {
  const w = new FrameStreamWriter()
  const parts = [...w.start(), ...w.frame(a.data, a.objects), ...w.error({ error: { code: 'ENOTFOUND', message: 'chunk x not found' } })]
  const seen: string[] = []
  try {
    for await (const r of readFrameStream(pieces(Buffer.concat(parts)), { what: 'test stream' })) seen.push(r.type)
    assert.unreachable()
  } catch (err) {
    assert.instance(err, NotFoundError)
    assert.is((err as Error).message, 'chunk x not found')
  }
  assert.equal(seen, ['frame'])
})

test.run()
