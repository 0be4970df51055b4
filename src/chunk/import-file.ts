/**
 * Imports one file into the object store as chunks plus a file tree, streaming in bounded memory:
 *
 *   read slabs (main) -> split into chunks and holes (main) -> hash batches (workers)
 *     -> keep only chunks the store lacks (main) -> frames -> compress (workers) -> packs (main)
 *
 * Holes reported by the filesystem are never read; zero blocks inside data are holes too, so all-zero
 * ranges are never hashed, stored or sent. Results are consumed in file order, so the file tree is the
 * same whatever the timing. In flight at most: HASH_DEPTH batches, COMPRESS_DEPTH frames, one pack.
 */
import * as fs from 'node:fs'
import type { ProgressOptions } from '../options.js'
import { AnkagitError, fromFsError, throwIfAborted } from '../errors.js'
import type { ObjectStore } from '../objects/object-store.js'
import { FileTreeBuilder } from '../objects/file-tree.js'
import { type ObjectId, hashObject, idFromBytes } from '../objects/id.js'
import { FRAME_TARGET, FrameBuilder, type FrameObject } from '../pack/frame.js'
import { ZSTD_LEVEL_DEFAULT } from '../pack/zstd.js'
import type { ChunkerParams } from './chunker.js'
import { createSplitter, type Extent } from './splitter.js'
import { dataRanges } from './sparse.js'
import type { WorkerPool } from './pool.js'

/** Bytes read per call: 4 MiB, a multiple of every fixed chunk size; reads of >= 1 MiB ran at ~15 GB/s warm here. */
const SLAB = 4 << 20
// In flight: HASH_DEPTH batches and COMPRESS_DEPTH frames; 2/2/3 peaked at 165 MB RSS on an 8 GiB image
// against 176 MB for 4 MiB batches at depths 4/4, with the workers still the bottleneck.
const BATCH = 2 << 20
const HASH_DEPTH = 2
const COMPRESS_DEPTH = 3

export interface ImportResult {
  id: ObjectId
  size: number
  /** Chunks and raw bytes the store did not hold before. */
  newChunks: number
  newBytes: number
  /** Compressed bytes of the new chunks' frames. */
  storedBytes: number
}

export interface ImportOptions extends ProgressOptions {
  store: ObjectStore
  pool: WorkerPool
  path: string
  chunking: ChunkerParams
  level?: number
  /** Label for progress events. */
  phase?: string
  /** Compute ids only: store nothing (status uses this to see whether a file changed). */
  hashOnly?: boolean
  /** With hashOnly: collects the file tree nodes (id -> body), so the unstored tree can still be read. */
  keepNodes?: Map<string, Buffer>
}

type Item = { kind: 'hole'; length: number } | { kind: 'chunk'; length: number }

interface Batch {
  items: Item[]
  hashed: Promise<{ ids: Buffer; buf: ArrayBuffer }>
}

export async function importFile(o: ImportOptions): Promise<ImportResult> {
  await o.store.load(o)
  const level = o.level ?? ZSTD_LEVEL_DEFAULT
  const keepNode = (body: Buffer): ObjectId => {
    const id = hashObject('file', body)
    o.keepNodes?.set(id, body)
    return id
  }
  const builder = new FileTreeBuilder(o.chunking, (body) => (o.hashOnly ? keepNode(body) : o.store.put('file', body)))
  // Buffers come back from the workers and are reused: allocating a fresh 2-4 MiB buffer per frame and
  // batch made the main thread spend 2.4 s of a 12 s commit in the garbage collector.
  const framePool: Buffer[] = []
  const batchPool: ArrayBuffer[] = []
  const frames = new FrameBuilder(FRAME_TARGET, () => framePool.pop() ?? Buffer.allocUnsafe(FRAME_TARGET))
  const compressing: Array<Promise<void>> = []
  /** New chunks sitting in frames not yet handed to the store, so a repeat inside this file is not stored twice. */
  const unsaved = new Set<string>()
  const result = { newChunks: 0, newBytes: 0, storedBytes: 0 }

  const sendFrame = async (): Promise<void> => {
    const frame = frames.take()
    if (!frame) return
    const objects: FrameObject[] = frame.objects
    const stored = o.pool.compress(frame.raw, level).then(async ({ data, raw }) => {
      if (raw.byteLength === FRAME_TARGET) framePool.push(Buffer.from(raw))
      result.storedBytes += data.length
      // Handed over (ObjectStore.putFrame, release): the frame's buffer is freed once the pack has it.
      await o.store.putFrame({ data, objects }, { signal: o.signal, release: true })
      for (const obj of objects) unsaved.delete(obj.id.toString('hex'))
    })
    // Its failure (a full disk) is thrown where it is awaited below; until then it must not count as
    // unhandled, which ended the process with a stack trace (test/e2e/enospc.test.ts).
    stored.catch(() => {})
    compressing.push(stored)
    if (compressing.length >= COMPRESS_DEPTH) await compressing.shift()
  }

  const consume = async (batch: Batch): Promise<void> => {
    const { ids, buf } = await batch.hashed
    const data = Buffer.from(buf)
    let offset = 0
    let n = 0
    for (const item of batch.items) {
      if (item.kind === 'hole') {
        builder.hole(item.length)
        continue
      }
      const idBytes = ids.subarray(n * 32, n * 32 + 32)
      n++
      const hex = idBytes.toString('hex')
      if (!o.store.contains(idBytes) && !unsaved.has(hex)) {
        result.newChunks++
        result.newBytes += item.length
        if (!o.hashOnly) {
          unsaved.add(hex)
          if (frames.add('chunk', idBytes, data.subarray(offset, offset + item.length))) await sendFrame()
        }
      }
      builder.chunk(item.length, idFromBytes(idBytes))
      offset += item.length
    }
    if (buf.byteLength === BATCH) batchPool.push(buf)
  }

  const pending: Batch[] = []
  let items: Item[] = []
  let batchBuf = Buffer.allocUnsafe(BATCH)
  let batchLen = 0
  let lengths: number[] = []
  const dispatch = async (): Promise<void> => {
    if (items.length === 0) return
    // The whole batch buffer is transferred to a worker and a fresh one started: no copy.
    const buf = batchBuf.buffer as ArrayBuffer
    const reused = batchPool.pop()
    batchBuf = reused ? Buffer.from(reused) : Buffer.allocUnsafe(BATCH)
    pending.push({ items, hashed: lengths.length ? o.pool.hashChunks(buf, lengths) : Promise.resolve({ ids: Buffer.alloc(0), buf }) })
    items = []
    lengths = []
    batchLen = 0
    if (pending.length >= HASH_DEPTH) await consume(pending.shift()!)
  }
  const take = async (extents: Extent[]): Promise<void> => {
    for (const e of extents) {
      if (e.kind === 'hole') {
        items.push({ kind: 'hole', length: e.length })
        continue
      }
      if (batchLen + e.length > batchBuf.length) {
        await dispatch()
        if (e.length > batchBuf.length) batchBuf = Buffer.allocUnsafe(e.length)
      }
      batchBuf.set(e.bytes, batchLen)
      batchLen += e.length
      lengths.push(e.length)
      items.push({ kind: 'chunk', length: e.length })
    }
  }

  let fh: fs.promises.FileHandle | undefined
  try {
    fh = await fs.promises.open(o.path, 'r')
    const size = (await fh.stat()).size
    const slab = Buffer.allocUnsafe(SLAB)
    let done = 0
    for (const [start, end] of readRanges(fh.fd, size, o.chunking)) {
      if (start > done) items.push({ kind: 'hole', length: start - done })
      const splitter = createSplitter(o.chunking, start)
      for (let pos = start; pos < end; ) {
        throwIfAborted(o.signal)
        const want = Math.min(SLAB, end - pos)
        const { bytesRead } = await fh.read(slab, 0, want, pos)
        if (bytesRead === 0) throw new AnkagitError('EINVALID', `file '${o.path}' shrank while it was read`)
        await take(splitter.push(slab.subarray(0, bytesRead)))
        pos += bytesRead
        o.onProgress?.({ phase: o.phase ?? 'import', done: pos, total: size, unit: 'bytes' })
      }
      await take(splitter.end())
      done = end
    }
    if (size > done) items.push({ kind: 'hole', length: size - done })
    // the trailing hole counts as done, so a bar over a sparse disk ends at 100%
    o.onProgress?.({ phase: o.phase ?? 'import', done: size, total: size, unit: 'bytes' })
    await dispatch()
    while (pending.length) await consume(pending.shift()!)
    await sendFrame()
    while (compressing.length) await compressing.shift()
    const root = builder.finish()
    return { id: root.id, size: root.size, ...result }
  } catch (err) {
    await Promise.allSettled([...pending.map((b) => b.hashed), ...compressing])
    throw fromFsError(err, `'${o.path}'`)
  } finally {
    await fh?.close()
  }
}

/**
 * The ranges to read. Fixed-size chunking may skip filesystem holes (aligned outwards to whole
 * chunks, so cuts stay aligned to the file offset). Content-defined chunking reads the whole file:
 * its cuts must not depend on where the filesystem happened to allocate blocks.
 */
function readRanges(fd: number, size: number, chunking: ChunkerParams): Array<[number, number]> {
  if (size === 0) return []
  if (chunking.kind !== 'fixed') return [[0, size]]
  const block = chunking.size
  const out: Array<[number, number]> = []
  for (const [s, e] of dataRanges(fd, size)) {
    const start = Math.floor(s / block) * block
    const end = Math.min(size, Math.ceil(e / block) * block)
    const last = out.at(-1)
    if (last && start <= last[1]) last[1] = Math.max(last[1], end)
    else out.push([start, end])
  }
  return out
}
