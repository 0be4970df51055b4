/**
 * Writes one pack: compressed frames appended in memory, then the pack file and its index saved in
 * that order, each atomically, so an index never names a pack that is not fully stored. A crash
 * before the index is saved leaves an unindexed pack that nothing references; gc removes it.
 */
import { Blake3Hasher } from '@napi-rs/blake-hash'
import type { Backend } from '../store/backend.js'
import type { AbortOptions } from '../options.js'
import type { CompressedFrame, FrameObject } from './frame.js'
import { PACK_HEADER, PackIndex, type PackEntry, encodePackIndex } from './pack-index.js'
import { crashPoint } from '../crash-points.js'

/** Compressed bytes at which a pack is closed (restic's default size): a commit holds at most one pack in
 * memory, and a crash loses at most one pack of work; 1.1 GiB of disk data made 24 packs. */
export const PACK_TARGET = 16 << 20

export function packKey(name: string): string {
  return `packs/${name}.pack`
}

export function indexKey(name: string): string {
  return `packs/${name}.idx`
}

export interface WrittenPack {
  name: string
  index: PackIndex
  bytes: number
}

export class PackWriter {
  private readonly parts: Buffer[] = [PACK_HEADER]
  private readonly hasher = new Blake3Hasher()
  private readonly entries: PackEntry[] = []
  private length = PACK_HEADER.length
  private readonly releasable: Buffer[] = []

  constructor(private readonly backend: Backend) {
    this.hasher.update(PACK_HEADER)
  }

  get bytes(): number {
    return this.length
  }

  get objectCount(): number {
    return this.entries.length
  }

  /** Appends a frame; returns where it starts, so pending reads can find it before the pack is saved.
   * release: nothing but this pack uses the frame's buffer, so release() may free it. */
  add(frame: CompressedFrame, release = false): { frameOffset: number; frameLength: number } {
    const frameOffset = this.length
    this.parts.push(frame.data)
    if (release && ownsBuffer(frame.data)) this.releasable.push(frame.data)
    this.hasher.update(frame.data)
    this.length += frame.data.length
    for (const o of frame.objects) this.entries.push(entryOf(o, frameOffset, frame.data.length))
    return { frameOffset, frameLength: frame.data.length }
  }

  /** The in-memory bytes of a frame added earlier. */
  frame(frameOffset: number, frameLength: number): Buffer {
    let pos = 0
    for (const p of this.parts) {
      if (pos === frameOffset && p.length === frameLength) return p
      pos += p.length
    }
    throw new RangeError(`no frame at ${frameOffset}`)
  }

  /**
   * Frees the buffers of frames added with release; call it once the pack is saved (or failed to
   * save) and nothing reads them. Their ArrayBuffers were held ~100 ms, long enough to reach V8's old
   * generation, where only a full collection frees them, and V8 starts one only when outside memory
   * has grown by tens of MiB: a clone held 30-60 MiB of saved packs that way. Each buffer's memory
   * moves (no copy) to a new, young ArrayBuffer that nothing references, which the next minor
   * collection frees.
   */
  release(): void {
    for (const b of this.releasable.splice(0)) if (b.buffer.byteLength > 0) structuredClone(b.buffer, { transfer: [b.buffer as ArrayBuffer] })
  }

  /** Saves pack then index; undefined when no frame was added. */
  async finish(opts?: AbortOptions): Promise<WrittenPack | undefined> {
    if (this.entries.length === 0) return undefined
    const hash = this.hasher.digestBuffer()
    const name = hash.toString('hex')
    const idx = encodePackIndex(this.entries, hash)
    await this.backend.save(packKey(name), this.parts, opts)
    crashPoint('pack-saved')
    await this.backend.save(indexKey(name), idx, opts)
    return { name, index: new PackIndex(idx, `index of pack ${name}`), bytes: this.length }
  }
}

function ownsBuffer(b: Buffer): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer
}

function entryOf(o: FrameObject, frameOffset: number, frameLength: number): PackEntry {
  return { id: o.id, kind: o.kind, frameOffset, frameLength, offset: o.offset, length: o.length }
}
