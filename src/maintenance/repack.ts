/**
 * gc's rewrite: copies the live frames of the packs being rewritten into new packs, compressed bytes
 * as stored (never recompressed), each frame verified first (decompressed within limits, every live
 * object hashed against its id), so gc never carries damage into a pack with a fresh, valid name.
 * The new packs are saved (pack, then index) before the caller deletes any old pack.
 */
import type { AbortOptions } from '../options.js'
import { CorruptObjectError, throwIfAborted } from '../errors.js'
import { hashObjectBytes, idFromBytes } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import { PACK_TARGET, PackWriter, type WrittenPack, packKey } from '../pack/pack-writer.js'
import { decompressFrame } from '../pack/zstd.js'
import type { PackDecision } from './gc-plan.js'

export async function writeRewrites(store: ObjectStore, decisions: readonly PackDecision[], o: AbortOptions & { onBytes?: (n: number) => void } = {}): Promise<WrittenPack[]> {
  const written: WrittenPack[] = []
  let writer = new PackWriter(store.backend)
  const finish = async () => {
    const done = await writer.finish(o)
    if (done) written.push(done)
    writer.close()
    writer = new PackWriter(store.backend)
  }
  try {
    for (const d of decisions) {
      if (d.action !== 'rewrite') continue
      for (const frame of d.liveFrames) {
        throwIfAborted(o.signal)
        writer.add({ data: await verifiedFrame(store, d.name, frame, o), objects: frame.entries.map((e) => ({ id: e.id, kind: e.kind, offset: e.offset, length: e.length })) })
        o.onBytes?.(frame.length)
        if (writer.bytes >= PACK_TARGET) await finish()
      }
    }
    await finish()
  } finally {
    writer.close() // a failed rewrite leaves no temp file behind
  }
  return written
}

/** A live frame's stored bytes, after checking that it decompresses and every live object in it hashes to its id. */
async function verifiedFrame(store: ObjectStore, pack: string, frame: PackDecision['liveFrames'][number], o: AbortOptions): Promise<Buffer> {
  const data = await store.backend.load(packKey(pack), { offset: frame.offset, length: frame.length, signal: o.signal })
  if (data.length !== frame.length) throw new CorruptObjectError(`pack ${pack} is corrupt: truncated at ${frame.offset}; run 'ankagit fsck'`, { pack })
  const raw = decompressFrame(data, `pack ${pack} at ${frame.offset}`)
  for (const e of frame.entries) {
    if (e.offset + e.length > raw.length || !hashObjectBytes(e.kind, raw.subarray(e.offset, e.offset + e.length)).equals(e.id)) {
      throw new CorruptObjectError(`object ${idFromBytes(e.id)} in pack ${pack} is corrupt; run 'ankagit fsck'`, { pack })
    }
  }
  return data
}
