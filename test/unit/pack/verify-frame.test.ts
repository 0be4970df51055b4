import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { verifyFrame } from '../../../src/pack/verify-frame.js'
import { hashObjectBytes, type ObjectKind } from '../../../src/objects/id.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import type { FrameObject } from '../../../src/pack/frame.js'
import { CorruptObjectError } from '../../../src/errors.js'
import { encodeVmTree } from '../../../src/objects/vm-tree.js'

const test = suite('verifyFrame')

function table(bodies: Array<[ObjectKind, Buffer]>): FrameObject[] {
  let offset = 0
  return bodies.map(([kind, body]) => {
    const o = { id: hashObjectBytes(kind, body), kind, offset, length: body.length }
    offset += body.length
    return o
  })
}

function corrupt(fn: () => unknown, match: RegExp): void {
  try {
    fn()
  } catch (err) {
    assert.instance(err, CorruptObjectError)
    assert.match((err as Error).message, match)
    return
  }
  assert.unreachable('expected CorruptObjectError')
}

/** Rewrites the content size a zstd frame header declares (RFC 8878 § 3.1.1.1). */
function withDeclaredSize(frame: Buffer, size: number): Buffer {
  const out = Buffer.from(frame)
  const d = out[4]!
  const fcsFlag = d >> 6
  const single = (d >> 5) & 1
  const dictBytes = [0, 1, 2, 4][d & 3]!
  const at = 5 + (single ? 0 : 1) + dictBytes
  if (fcsFlag === 1) out.writeUInt16LE(size - 256, at)
  else if (fcsFlag === 2) out.writeUInt32LE(size, at)
  else if (fcsFlag === 3) out.writeBigUInt64LE(BigInt(size), at)
  else out[at] = size
  return out
}

const a = Buffer.alloc(4000, 7)
const b = Buffer.from('second chunk body')

test('accepts a well-formed frame and returns its raw bytes', () => {
  const raw = verifyFrame(compressFrame(Buffer.concat([a, b])), table([['chunk', a], ['chunk', b]]), 'frame 1')
  assert.ok(raw.equals(Buffer.concat([a, b])))
})

test('objects may leave bytes of the frame unlisted', () => {
  const objects = table([['chunk', b]]).map((o) => ({ ...o, offset: a.length }))
  verifyFrame(compressFrame(Buffer.concat([a, b])), objects, 'frame 1')
})

test('a body that does not hash to its id is corrupt, naming the object', () => {
  const objects = table([['chunk', a], ['chunk', b]])
  const flipped = Buffer.from(b)
  flipped[0]! ^= 1
  corrupt(() => verifyFrame(compressFrame(Buffer.concat([a, flipped])), objects, 'frame 2'), new RegExp(`object ${objects[1]!.id.toString('hex')} in frame 2 is corrupt`))
})

test('the same bytes under another kind are corrupt (the kind is part of the id)', () => {
  const objects = table([['chunk', b]]).map((o) => ({ ...o, kind: 'tag' as const }))
  corrupt(() => verifyFrame(compressFrame(b), objects, 'frame 3'), /hash to/)
})

test('metadata that hashes right but does not decode is corrupt', () => {
  const junk = Buffer.from('tree nonsense\n\nmessage')
  corrupt(() => verifyFrame(compressFrame(junk), table([['commit', junk]]), 'frame 4'), /corrupt/)
  const vm = encodeVmTree({ entries: [] })
  verifyFrame(compressFrame(vm), table([['vm', vm]]), 'frame 5')
})

test('a table that reaches past the frame is corrupt', () => {
  const objects = table([['chunk', a]])
  corrupt(() => verifyFrame(compressFrame(a.subarray(0, 100)), objects, 'frame 6'), /need 4000 bytes, the frame holds 100/)
})

test('garbage, truncated frames and trailing bytes are corrupt', () => {
  const objects = table([['chunk', a]])
  corrupt(() => verifyFrame(Buffer.from('definitely not zstd'), objects, 'frame 7'), /frame 7 is corrupt/)
  const frame = compressFrame(a)
  corrupt(() => verifyFrame(frame.subarray(0, frame.length - 3), objects, 'frame 8'), /frame 8 is corrupt/)
  corrupt(() => verifyFrame(Buffer.concat([frame, Buffer.from([1, 2, 3])]), objects, 'frame 9'), /frame 9 is corrupt/)
})

test('a zstd bomb is refused: by its declared size, or when it inflates past it', () => {
  const zeros = Buffer.alloc(64 << 20)
  const bomb = compressFrame(zeros, 19)
  assert.ok(bomb.length < 64 << 10, 'the bomb is small on the wire')
  corrupt(() => verifyFrame(bomb, [{ id: Buffer.alloc(32), kind: 'chunk', offset: 0, length: 100 }], 'bomb'), /frame size 67108864 refused/)
  const liar = withDeclaredSize(compressFrame(Buffer.alloc(1 << 20)), 1000)
  corrupt(() => verifyFrame(liar, [{ id: Buffer.alloc(32), kind: 'chunk', offset: 0, length: 100 }], 'liar'), /liar is corrupt/)
})

test.run()
