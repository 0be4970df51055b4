/**
 * Full verification of one pack against its index, reading the pack once, frame by frame, so memory
 * stays at one frame whatever the pack size: the index's own checksum and the pack name it records,
 * the pack header, every frame decompressing within FRAME_RAW_MAX, every object lying inside its
 * frame and hashing to its id, frames covering the file back to back, and the BLAKE3 of all the
 * pack's bytes being its name (FORMAT.md § Packs).
 */
import { blake3Hasher } from '../objects/blake3.js'
import type { AbortOptions } from '../options.js'
import type { Backend } from '../store/backend.js'
import { CorruptObjectError, NotFoundError, throwIfAborted } from '../errors.js'
import { type ObjectId, hashObjectBytes, idFromBytes } from '../objects/id.js'
import { PACK_HEADER, PackIndex } from '../pack/pack-index.js'
import { decompressFrame } from '../pack/zstd.js'
import { indexKey, packKey } from '../objects/object-store.js'

export interface PackProblem {
  kind: 'corrupt-index' | 'missing-pack' | 'corrupt-pack' | 'corrupt-object'
  pack: string
  message: string
  id?: ObjectId
}

export interface PackCheck {
  problems: PackProblem[]
  /** The verified index, when it was readable. */
  index?: PackIndex
  /** Objects of this pack that cannot be read back intact. */
  badIds: ObjectId[]
}

/** Reads of gaps and trailing bytes are done in pieces of this size, to bound memory. */
const PIECE = 8 << 20

export async function verifyPack(backend: Backend, name: string, o: AbortOptions & { onBytes?: (n: number) => void } = {}): Promise<PackCheck> {
  const problems: PackProblem[] = []
  const badIds: ObjectId[] = []
  const fail = (message: string, kind: PackProblem['kind'] = 'corrupt-pack', id?: ObjectId) => problems.push({ kind, pack: name, message, ...(id ? { id } : {}) })
  let index: PackIndex
  try {
    index = new PackIndex(await backend.load(indexKey(name), o), `index of pack ${name}`)
  } catch (err) {
    if (!(err instanceof CorruptObjectError) && !(err instanceof NotFoundError)) throw err
    fail(err instanceof NotFoundError ? `index of pack ${name} is missing` : err.message, 'corrupt-index')
    return { problems, badIds }
  }
  if (index.packHash.toString('hex') !== name) fail(`index of pack ${name} is corrupt: it names pack ${index.packHash.toString('hex')}`, 'corrupt-index')
  const stat = await backend.stat(packKey(name), o)
  if (!stat) {
    fail(`pack ${name} is missing (its index lists ${index.count} objects)`, 'missing-pack')
    return { problems, index, badIds: allIds(index) }
  }

  const hasher = blake3Hasher()
  const read = async (offset: number, length: number) => {
    const buf = await backend.load(packKey(name), { offset, length, signal: o.signal })
    o.onBytes?.(buf.length)
    return buf
  }
  const hashRange = async (from: number, to: number) => {
    for (let p = from; p < to; p += PIECE) hasher.update(await read(p, Math.min(PIECE, to - p)))
  }
  const header = await read(0, PACK_HEADER.length)
  hasher.update(header)
  if (!header.equals(PACK_HEADER)) fail(`pack ${name} is corrupt: bad header`)
  let pos = header.length
  // Read one frame ahead, so the disk works while this thread decompresses and hashes: on a
  // 1.1 GiB image (361 MiB of packs) fsck spent 1.9 s of 6 s idle, waiting for reads, without it.
  const frames = framesOf(index)
  const fetch = (f: FrameSpan | undefined) => {
    if (f === undefined || f.offset + f.length > stat.size) return undefined
    const p = read(f.offset, f.length)
    p.catch(() => {}) // a read-ahead that is never awaited (a skipped frame, an abort) must not go unhandled
    return p
  }
  let ahead = fetch(frames[0])
  for (let k = 0; k < frames.length; k++) {
    const frame = frames[k]!
    const prefetched = ahead
    ahead = fetch(frames[k + 1])
    throwIfAborted(o.signal)
    const ids = frame.entries.map((i) => idFromBytes(index.entry(i).id))
    if (frame.offset < pos || frame.offset + frame.length > stat.size) {
      fail(`pack ${name} is corrupt: frame at ${frame.offset} (${frame.length} bytes) overlaps another or the end of the pack`)
      badIds.push(...ids)
      continue
    }
    if (frame.offset > pos) {
      fail(`pack ${name} is corrupt: ${frame.offset - pos} bytes at ${pos} belong to no indexed frame`)
      await hashRange(pos, frame.offset)
    }
    const data = (await prefetched) ?? (await read(frame.offset, frame.length))
    hasher.update(data)
    pos = frame.offset + frame.length
    let raw: Buffer
    try {
      raw = decompressFrame(data, `pack ${name} at ${frame.offset}`)
    } catch (err) {
      if (!(err instanceof CorruptObjectError)) throw err
      fail(`${err.message} (${ids.length} object${ids.length === 1 ? '' : 's'} lost)`)
      badIds.push(...ids)
      continue
    }
    for (const i of frame.entries) {
      const e = index.entry(i)
      const id = idFromBytes(e.id)
      if (e.offset + e.length > raw.length) {
        fail(`object ${id} in pack ${name} lies outside its frame`, 'corrupt-object', id)
        badIds.push(id)
      } else if (!hashObjectBytes(e.kind, raw.subarray(e.offset, e.offset + e.length)).equals(e.id)) {
        fail(`object ${id} in pack ${name} is corrupt: its bytes do not hash to its id`, 'corrupt-object', id)
        badIds.push(id)
      }
    }
  }
  if (pos < stat.size) {
    fail(`pack ${name} is corrupt: ${stat.size - pos} trailing bytes after the last frame`)
    await hashRange(pos, stat.size)
  }
  const actual = hasher.digestBuffer().toString('hex')
  if (actual !== name) fail(`pack ${name} is corrupt: its bytes hash to ${actual}`)
  return { problems, index, badIds }
}

interface FrameSpan {
  offset: number
  length: number
  /** Entry numbers of the objects inside. */
  entries: number[]
}

/** The index's frames in pack order; entries that disagree on a frame's length make a frame of their own. */
export function framesOf(index: PackIndex): FrameSpan[] {
  const byKey = new Map<string, FrameSpan>()
  for (let i = 0; i < index.count; i++) {
    const e = index.entry(i)
    const key = `${e.frameOffset}:${e.frameLength}`
    let f = byKey.get(key)
    if (!f) byKey.set(key, (f = { offset: e.frameOffset, length: e.frameLength, entries: [] }))
    f.entries.push(i)
  }
  return [...byKey.values()].sort((a, b) => a.offset - b.offset || a.length - b.length)
}

function allIds(index: PackIndex): ObjectId[] {
  const out: ObjectId[] = []
  for (let i = 0; i < index.count; i++) out.push(idFromBytes(index.entry(i).id))
  return out
}
