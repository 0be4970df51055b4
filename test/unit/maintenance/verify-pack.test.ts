import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { blake3 } from '@napi-rs/blake-hash'
import { verifyPack, framesOf } from '../../../src/maintenance/verify-pack.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { PACK_HEADER, PackIndex, type PackEntry, encodePackIndex } from '../../../src/pack/pack-index.js'
import { indexKey, packKey } from '../../../src/pack/pack-writer.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import { hashObjectBytes } from '../../../src/objects/id.js'

const test = suite('verifyPack')

/** A frame holding the given bodies as chunks, and its entries relative to frame offset 0. */
function frame(bodies: Buffer[]): { data: Buffer; entries: Omit<PackEntry, 'frameOffset' | 'frameLength'>[] } {
  let offset = 0
  const entries = bodies.map((b) => {
    const e = { id: hashObjectBytes('chunk', b), kind: 'chunk' as const, offset, length: b.length }
    offset += b.length
    return e
  })
  return { data: compressFrame(Buffer.concat(bodies)), entries }
}

/** Saves a pack made of parts (frames placed where the layout says) and an index; returns its name. */
async function savePack(backend: MemoryBackend, parts: Buffer[], placed: Array<{ at: number; f: ReturnType<typeof frame> }>): Promise<string> {
  const bytes = Buffer.concat([PACK_HEADER, ...parts])
  const hash = blake3(bytes)
  const entries: PackEntry[] = placed.flatMap(({ at, f }) => f.entries.map((e) => ({ ...e, frameOffset: at, frameLength: f.data.length })))
  const name = hash.toString('hex')
  await backend.save(packKey(name), bytes)
  await backend.save(indexKey(name), encodePackIndex(entries, hash))
  return name
}

const body = (n: number, fill: number) => Buffer.alloc(n, fill)

test('a well-formed pack has no problem and returns its index', async () => {
  const backend = new MemoryBackend()
  const a = frame([body(100, 1), body(50, 2)])
  const b = frame([body(70, 3)])
  const name = await savePack(backend, [a.data, b.data], [{ at: 8, f: a }, { at: 8 + a.data.length, f: b }])
  let read = 0
  const r = await verifyPack(backend, name, { onBytes: (n) => (read += n) })
  assert.equal(r.problems, [])
  assert.is(r.index!.count, 3)
  assert.is(read, 8 + a.data.length + b.data.length)
  assert.equal(framesOf(r.index!).map((f) => [f.offset, f.entries.length]), [[8, 2], [8 + a.data.length, 1]])
})

test('bytes between frames and after the last one are reported, and still hashed', async () => {
  const backend = new MemoryBackend()
  const a = frame([body(100, 1)])
  const b = frame([body(70, 3)])
  const junk = Buffer.from('junk')
  const name = await savePack(backend, [a.data, junk, b.data, junk], [{ at: 8, f: a }, { at: 8 + a.data.length + 4, f: b }])
  const r = await verifyPack(backend, name)
  assert.equal(r.problems.map((p) => p.message), [
    `pack ${name} is corrupt: 4 bytes at ${8 + a.data.length} belong to no indexed frame`,
    `pack ${name} is corrupt: 4 trailing bytes after the last frame`,
  ])
  assert.equal(r.badIds, [])
})

test('overlapping frames and an object outside its frame are reported with the objects lost', async () => {
  const backend = new MemoryBackend()
  const a = frame([body(100, 1)])
  const b = frame([body(70, 3)])
  const outside = { ...b, entries: [{ ...b.entries[0]!, length: 500 }] }
  const name = await savePack(backend, [a.data], [{ at: 8, f: a }, { at: 9, f: outside }])
  const r = await verifyPack(backend, name)
  assert.ok(r.problems.some((p) => /frame at 9 .* overlaps/.test(p.message)))
  assert.is(r.badIds.length, 1)
})

test('an index that is not readable, or whose pack is gone, is reported', async () => {
  const backend = new MemoryBackend()
  const a = frame([body(10, 9)])
  const name = await savePack(backend, [a.data], [{ at: 8, f: a }])
  await backend.remove(packKey(name))
  const missing = await verifyPack(backend, name)
  assert.equal(missing.problems.map((p) => p.kind), ['missing-pack'])
  assert.is(missing.badIds.length, 1)
  await backend.remove(indexKey(name))
  await backend.save(indexKey(name), Buffer.from('AKIX nonsense'))
  const corrupt = await verifyPack(backend, name)
  assert.equal(corrupt.problems.map((p) => p.kind), ['corrupt-index'])
  assert.is(corrupt.index, undefined)
  assert.ok(new PackIndex(encodePackIndex([], Buffer.alloc(32)), 'x'))
})

test.run()
