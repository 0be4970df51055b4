/**
 * The object store: content-addressed objects kept in packs on a Backend (FORMAT.md § Packs).
 * Every object read is verified against its id before it is returned. Writes are buffered and become
 * durable at flush(), data packs before the metadata pack, so trees never name missing chunks and a
 * crash leaves only unreferenced packs behind.
 */
import type { Backend } from '../store/backend.js'
import type { AbortOptions } from '../options.js'
import { CorruptObjectError, NotFoundError } from '../errors.js'
import { type ObjectId, type ObjectKind, hashObjectBytes, idFromBytes, idToBytes } from './id.js'
import { IndexTable, type Located } from '../pack/index-table.js'
import { PackIndex } from '../pack/pack-index.js'
import { PACK_TARGET, PackWriter, type WrittenPack, indexKey, packKey } from '../pack/pack-writer.js'
import { type CompressedFrame, FrameBuilder } from '../pack/frame.js'
import { compressFrame, decompressFrame } from '../pack/zstd.js'
import { FrameCache } from '../pack/frame-cache.js'
import { crashPoint } from '../crash-points.js'

export interface RawObject {
  kind: ObjectKind
  body: Buffer
}

/** Read-only access to objects: the local store, a seed, a remote (desync Store). */
export interface ObjectSource {
  has(id: ObjectId, opts?: AbortOptions): Promise<boolean>
  /** The verified object. NotFoundError when absent, CorruptObjectError when the bytes do not match the id. */
  get(id: ObjectId, opts?: AbortOptions): Promise<RawObject>
}

export interface RefreshOptions extends AbortOptions {
  /** Report a corrupt pack index here and go on without that pack, instead of throwing (fsck). */
  onCorruptIndex?: (pack: string, err: CorruptObjectError) => void
  /** Load new packs only: keep the packs whose index is gone (gc, while it has them hidden). */
  keepGone?: boolean
}

export interface PutFrameOptions extends AbortOptions {
  /** The caller hands the frame's buffer over: it is freed as soon as the pack no longer needs it
   * (PackWriter.add), so neither the caller nor anyone else may read frame.data after putFrame is called. */
  release?: boolean
}

/** Where a stored object's frame is, for senders that ship frames as stored. */
export interface ObjectLocation extends Located {}

interface PendingChunk {
  writer: PackWriter
  frameOffset: number
  frameLength: number
  offset: number
  length: number
  kind: ObjectKind
}

export class ObjectStore implements ObjectSource {
  private readonly table = new IndexTable()
  private readonly cache = new FrameCache(32 << 20)
  private loaded = false
  private writer: PackWriter
  private readonly pendingFrames = new Map<string, PendingChunk>()
  private readonly pendingMeta = new Map<string, RawObject>()
  /** Packs this process wrote, in order; callers report them (bytes stored). */
  readonly written: WrittenPack[] = []

  constructor(readonly backend: Backend) {
    this.writer = new PackWriter(backend)
  }

  /**
   * Loads indexes of packs not yet known (written by another process since) and forgets packs whose
   * index is gone (removed by gc), so a long-lived store never answers has() for deleted objects.
   * A corrupt index throws CorruptObjectError, unless onCorruptIndex is given (fsck): then it is
   * reported there and its pack is left out.
   */
  async refresh(opts?: RefreshOptions): Promise<void> {
    const listed = new Set<string>()
    for await (const key of this.backend.list('packs/', opts)) {
      if (!key.endsWith('.idx')) continue
      const name = key.slice('packs/'.length, -'.idx'.length)
      listed.add(name)
      if (this.table.hasPack(name)) continue
      let buf: Buffer
      try {
        buf = await this.backend.load(key, opts)
      } catch (err) {
        if (err instanceof NotFoundError) continue // removed by a concurrent gc
        throw err
      }
      let index: PackIndex
      try {
        index = new PackIndex(buf, `index of pack ${name}`)
      } catch (err) {
        if (!(err instanceof CorruptObjectError) || !opts?.onCorruptIndex) throw err
        opts.onCorruptIndex(name, err)
        continue
      }
      this.table.add(name, index)
    }
    const gone = opts?.keepGone ? [] : this.table.packNames().filter((name) => !listed.has(name))
    if (gone.length) this.forgetPacks(gone)
    this.loaded = true
  }

  private async ensureLoaded(opts?: AbortOptions): Promise<void> {
    if (!this.loaded) await this.refresh(opts)
  }

  /** Synchronous membership test for hot paths; call load() once first. Includes unflushed objects. */
  contains(id: Buffer): boolean {
    if (this.table.has(id)) return true
    const hex = id.toString('hex')
    return this.pendingFrames.has(hex) || this.pendingMeta.has(hex)
  }

  async load(opts?: AbortOptions): Promise<void> {
    await this.ensureLoaded(opts)
  }

  async has(id: ObjectId, opts?: AbortOptions): Promise<boolean> {
    await this.ensureLoaded(opts)
    return this.contains(idToBytes(id))
  }

  /** Ids among `ids` that the store does not hold (refreshing once before answering). */
  async missing(ids: Iterable<ObjectId>, opts?: AbortOptions): Promise<ObjectId[]> {
    await this.refresh(opts)
    const out: ObjectId[] = []
    for (const id of ids) if (!this.contains(idToBytes(id))) out.push(id)
    return out
  }

  locate(id: ObjectId): ObjectLocation | undefined {
    return this.table.find(idToBytes(id))
  }

  async get(id: ObjectId, opts?: AbortOptions): Promise<RawObject> {
    await this.ensureLoaded(opts)
    const meta = this.pendingMeta.get(id)
    if (meta) return meta
    const pending = this.pendingFrames.get(id)
    if (pending) {
      const raw = decompressFrame(pending.writer.frame(pending.frameOffset, pending.frameLength), `unsaved frame`)
      return this.verified(id, pending.kind, raw.subarray(pending.offset, pending.offset + pending.length))
    }
    let loc = this.table.find(idToBytes(id))
    if (!loc) {
      await this.refresh(opts)
      loc = this.table.find(idToBytes(id))
    }
    if (!loc) throw new NotFoundError(`object ${id} not found`, { id })
    let raw: Buffer
    try {
      raw = await this.frameRaw(loc, opts)
    } catch (err) {
      // gc may have repacked the object into a new pack and removed the old one since our index was loaded.
      if (!(err instanceof NotFoundError)) throw err
      await this.refresh(opts)
      loc = this.table.find(idToBytes(id))
      if (!loc) throw new NotFoundError(`object ${id} not found`, { id })
      const pack = loc.pack
      raw = await this.frameRaw(loc, opts).catch((again: unknown) => {
        throw again instanceof NotFoundError ? new NotFoundError(`object ${id} not found: pack ${pack} is missing`, { id, pack }) : again
      })
    }
    const { offset, length } = loc.entry
    if (offset + length > raw.length) throw new CorruptObjectError(`pack ${loc.pack} is corrupt: object ${id} lies outside its frame`, { id, pack: loc.pack })
    return this.verified(id, loc.entry.kind, raw.subarray(offset, offset + length), loc.pack)
  }

  /** The compressed bytes of a stored frame, exactly as in the pack. */
  async frameBytes(loc: ObjectLocation, opts?: AbortOptions): Promise<Buffer> {
    const { frameOffset, frameLength } = loc.entry
    const data = await this.backend.load(packKey(loc.pack), { offset: frameOffset, length: frameLength, signal: opts?.signal })
    if (data.length !== frameLength) throw new CorruptObjectError(`pack ${loc.pack} is corrupt: truncated at ${frameOffset}`, { pack: loc.pack })
    return data
  }

  private async frameRaw(loc: ObjectLocation, opts?: AbortOptions): Promise<Buffer> {
    const key = `${loc.pack}:${loc.entry.frameOffset}`
    const hit = this.cache.get(key)
    if (hit) return hit
    const raw = decompressFrame(await this.frameBytes(loc, opts), `pack ${loc.pack} at ${loc.entry.frameOffset}`)
    this.cache.set(key, raw)
    return raw
  }

  private verified(id: ObjectId, kind: ObjectKind, body: Buffer, pack?: string): RawObject {
    const actual = idFromBytes(hashObjectBytes(kind, body))
    if (actual !== id) {
      throw new CorruptObjectError(`object ${id} is corrupt${pack ? ` in pack ${pack}` : ''}: its bytes hash to ${actual}`, { id, pack })
    }
    return { kind, body: Buffer.from(body) }
  }

  /** Buffers a small object (trees, commits, tags, the odd chunk) for the metadata pack; returns its id. */
  put(kind: ObjectKind, body: Uint8Array): ObjectId {
    const idBytes = hashObjectBytes(kind, body)
    const id = idFromBytes(idBytes)
    if (!this.contains(idBytes)) this.pendingMeta.set(id, { kind, body: Buffer.from(body) })
    return id
  }

  /**
   * Adds a compressed frame whose objects the caller has verified (hashed from the raw bytes itself, or
   * received and checked). Saves the current data pack when it reaches PACK_TARGET.
   */
  async putFrame(frame: CompressedFrame, opts?: PutFrameOptions): Promise<void> {
    let at: { frameOffset: number; frameLength: number }
    try {
      at = this.writer.add(frame, opts?.release)
    } catch (err) {
      // A pack that cannot grow (a full disk) is given up with every object in it, as a failed save is.
      this.dropWriter(this.writer)
      this.writer = new PackWriter(this.backend)
      throw err
    }
    const { frameOffset, frameLength } = at
    for (const o of frame.objects) {
      this.pendingFrames.set(o.id.toString('hex'), { writer: this.writer, frameOffset, frameLength, offset: o.offset, length: o.length, kind: o.kind })
    }
    if (this.writer.bytes >= PACK_TARGET) await this.saveDataPack(opts)
  }

  private async saveDataPack(opts?: AbortOptions): Promise<void> {
    const writer = this.writer
    this.writer = new PackWriter(this.backend)
    try {
      const done = await writer.finish(opts)
      if (done) this.adopt(done)
    } finally {
      this.dropWriter(writer)
    }
  }

  /** Forgets a writer that saved its pack or failed to. Saved: the index table answers for its objects
   * now. Failed: they are not stored, and must not be reported present, or a later write would reference
   * chunks that exist nowhere. Either way nothing reads its frames any more. */
  private dropWriter(writer: PackWriter): void {
    for (const [hex, p] of this.pendingFrames) if (p.writer === writer) this.pendingFrames.delete(hex)
    writer.close()
  }

  private adopt(pack: WrittenPack): void {
    this.table.add(pack.name, pack.index)
    this.written.push(pack)
  }

  /** Makes everything put so far durable: data packs first, then one pack of the buffered small objects. */
  async flush(opts?: AbortOptions): Promise<void> {
    await this.saveDataPack(opts)
    crashPoint('data-packs-saved')
    if (this.pendingMeta.size === 0) return
    // Objects put while this pack is being saved stay pending for the next flush.
    const batch = [...this.pendingMeta]
    const writer = new PackWriter(this.backend)
    const frames = new FrameBuilder()
    const emit = () => {
      const f = frames.take()
      if (f) writer.add({ data: compressFrame(f.raw), objects: f.objects })
    }
    try {
      for (const [id, o] of batch) if (frames.add(o.kind, idToBytes(id as ObjectId), o.body)) emit()
      emit()
      const done = await writer.finish(opts)
      if (done) this.adopt(done)
    } finally {
      writer.close()
    }
    for (const [id] of batch) this.pendingMeta.delete(id)
  }

  /** Full ids of stored objects whose hex id starts with prefix (lowercase hex digits). */
  async expandPrefix(prefix: string, opts?: AbortOptions): Promise<ObjectId[]> {
    await this.ensureLoaded(opts)
    const found = new Set<string>()
    for (const name of this.table.packNames()) for (const hex of this.table.packIndex(name)!.withPrefix(prefix)) found.add(hex)
    for (const hex of this.pendingMeta.keys()) if (hex.startsWith(prefix)) found.add(hex)
    return [...found].sort() as ObjectId[]
  }

  /** Every stored pack, for fsck and gc. */
  packNames(): string[] {
    return this.table.packNames()
  }

  packIndex(name: string): PackIndex | undefined {
    return this.table.packIndex(name)
  }

  get objectCount(): number {
    return this.table.objectCount
  }

  /**
   * Removes a pack and its index (gc only). The index goes first, so no reader loads an index whose
   * pack is gone; a reader that loaded it earlier refreshes and retries (see get()).
   */
  async deletePack(name: string, opts?: AbortOptions): Promise<void> {
    await this.backend.remove(indexKey(name), opts)
    crashPoint('gc-index-deleted')
    await this.backend.remove(packKey(name), opts)
    this.forgetPacks([name])
  }

  /** Forgets packs gc has removed. */
  forgetPacks(names: Iterable<string>): void {
    this.table.remove(names)
    this.cache.clear()
  }
}

export { packKey, indexKey }
