/**
 * Writes one pack: compressed frames appended as they come (pack-sink.ts), then the pack file and its
 * index saved in that order, each atomically, so an index never names a pack that is not fully stored. A crash
 * before the index is saved leaves an unindexed pack that nothing references; gc removes it.
 */
import { blake3Hasher } from '../objects/blake3.js'
import type { Backend } from '../store/backend.js'
import type { AbortOptions } from '../options.js'
import type { CompressedFrame, FrameObject } from './frame.js'
import { type PackSink, packSink } from './pack-sink.js'
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
  private readonly sink: PackSink
  // Made with the first frame: an ObjectStore always has a writer open, and most commands never add to it.
  private hasher: ReturnType<typeof blake3Hasher> | undefined
  private readonly entries: PackEntry[] = []
  private length = PACK_HEADER.length
  private readonly releasable: Buffer[] = []

  constructor(private readonly backend: Backend) {
    this.sink = packSink(backend)
  }

  get bytes(): number {
    return this.length
  }

  get objectCount(): number {
    return this.entries.length
  }

  /** Appends a frame; returns where it starts, so pending reads can find it before the pack is saved.
   * release: nothing but this pack uses the frame's buffer, so it may be freed once the pack has it. */
  add(frame: CompressedFrame, release = false): { frameOffset: number; frameLength: number } {
    const frameOffset = this.length
    const frameLength = frame.data.length
    if (!this.hasher) {
      this.sink.append(PACK_HEADER)
      this.hasher = blake3Hasher()
      this.hasher.update(PACK_HEADER)
    }
    this.sink.append(frame.data)
    this.hasher.update(frame.data)
    this.length += frameLength
    for (const o of frame.objects) this.entries.push(entryOf(o, frameOffset, frameLength))
    if (release && ownsBuffer(frame.data)) {
      if (this.sink.keepsBuffers) this.releasable.push(frame.data)
      else free(frame.data) // frame.data is empty from here on
    }
    return { frameOffset, frameLength }
  }

  /** The bytes of a frame added earlier. */
  frame(frameOffset: number, frameLength: number): Buffer {
    return this.sink.read(frameOffset, frameLength)
  }

  /**
   * Frees what the writer holds, once the pack is saved or has failed to save and nothing reads its
   * frames: the buffers of frames added with release, and the unsaved pack's temp file.
   */
  close(): void {
    for (const b of this.releasable.splice(0)) free(b)
    this.sink.discard()
  }

  /** Saves pack then index; undefined when no frame was added. */
  async finish(opts?: AbortOptions): Promise<WrittenPack | undefined> {
    if (this.entries.length === 0 || !this.hasher) return undefined
    const hash = this.hasher.digestBuffer()
    const name = hash.toString('hex')
    const idx = encodePackIndex(this.entries, hash)
    await this.sink.save(packKey(name), opts)
    crashPoint('pack-saved')
    await this.backend.save(indexKey(name), idx, opts)
    return { name, index: new PackIndex(idx, `index of pack ${name}`), bytes: this.length }
  }
}

/**
 * Frees a buffer now instead of at V8's next full collection: held ~100 ms, long enough to reach the
 * old generation, a frame's ArrayBuffer waited there for a full collection, which V8 starts only once
 * outside memory has grown by tens of MiB (a clone held 30-60 MiB of saved frames that way). Its memory
 * moves (no copy) to a new, young ArrayBuffer that nothing references, freed by the next minor collection.
 */
function free(b: Buffer): void {
  if (b.buffer.byteLength > 0) structuredClone(b.buffer, { transfer: [b.buffer as ArrayBuffer] })
}

function ownsBuffer(b: Buffer): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer
}

function entryOf(o: FrameObject, frameOffset: number, frameLength: number): PackEntry {
  return { id: o.id, kind: o.kind, frameOffset, frameLength, offset: o.offset, length: o.length }
}
