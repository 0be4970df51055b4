/**
 * Reads the chunks a checkout writes, in order, with the CPU work on worker threads: consecutive
 * chunks of one stored frame become one job that reads the compressed frame (through FrameReader's
 * windows), and a worker decompresses it into a recycled buffer and verifies every wanted chunk
 * against its id (FramePool.verify). A few frames are in flight ahead of the writer.
 * Single-threaded, decompressing and hashing held a checkout of 700 MB to ~6x the time of
 * `cp --sparse=always`; fresh buffers per frame then cost ~3 s of system time in page faults.
 */
import type { AbortOptions } from '../options.js'
import type { ObjectId } from '../objects/id.js'
import { idToBytes } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import type { Change } from '../objects/file-extents.js'
import type { FramePool } from '../pack/frame-pool.js'
import type { FrameObject } from '../pack/frame.js'
import { FRAME_TARGET } from '../pack/frame.js'
import { FrameReader } from '../pack/frame-reader.js'
import { pipelined } from '../threads/pipelined.js'
import { isFileBackend } from '../store/backend.js'
import { packKey } from '../pack/pack-writer.js'

/** Frames verified ahead of the one being written (~1 MiB compressed, 2 MiB raw each). Two worker
 * threads stay busy with 4: a checkout of 690 MiB took the same 1.3 s as with 8, at 8 MiB less RSS. */
const DEPTH = 4
/** Recycled output buffers: a frame's target plus one large chunk fits. */
const RAW_BUFFER = FRAME_TARGET + (512 << 10)

type ChunkChange = Extract<Change, { kind: 'chunk' }>
type HoleChange = Extract<Change, { kind: 'hole' }>

/** A hole to punch, or chunks (file order) with their verified bodies; call release() once written. */
export type ReadItem = { kind: 'hole'; change: HoleChange } | { kind: 'chunks'; pieces: Array<{ change: ChunkChange; body: Buffer }>; release(): void }

type Job =
  | { kind: 'hole'; change: HoleChange }
  | { kind: 'frame'; changes: ChunkChange[]; pack: string; frameOffset: number; objects: FrameObject[] }
  | { kind: 'single'; change: ChunkChange }

export async function* readChunks(store: ObjectStore, pool: FramePool, changes: AsyncIterable<Change>, opts: AbortOptions = {}): AsyncIterable<ReadItem> {
  await store.load(opts)
  const reader = new FrameReader(store)
  const free: ArrayBuffer[] = []
  yield* pipelined(groupByFrame(store, changes), DEPTH, (job) => runJob(store, reader, pool, free, job, opts))
}

async function* groupByFrame(store: ObjectStore, changes: AsyncIterable<Change>): AsyncIterable<Job> {
  let open: Extract<Job, { kind: 'frame' }> | undefined
  for await (const c of changes) {
    const loc = c.kind === 'chunk' ? store.locate(c.id) : undefined
    const same = open && loc && open.pack === loc.pack && open.frameOffset === loc.entry.frameOffset
    if (open && !same) {
      yield open
      open = undefined
    }
    if (c.kind === 'hole') yield { kind: 'hole', change: c }
    // Not in a saved pack (or gone): the store's own read path finds it or says what is wrong.
    else if (!loc) yield { kind: 'single', change: c }
    else {
      open ??= { kind: 'frame', changes: [], pack: loc.pack, frameOffset: loc.entry.frameOffset, objects: [] }
      open.changes.push(c)
      const { offset, length, kind } = loc.entry
      if (!open.objects.some((o) => o.offset === offset)) open.objects.push({ id: idToBytes(c.id as ObjectId), kind, offset, length })
    }
  }
  if (open) yield open
}

async function runJob(store: ObjectStore, reader: FrameReader, pool: FramePool, free: ArrayBuffer[], job: Job, opts: AbortOptions): Promise<ReadItem> {
  if (job.kind === 'hole') return job
  if (job.kind === 'single') return { kind: 'chunks', pieces: [{ change: job.change, body: (await store.get(job.change.id, opts)).body }], release: () => {} }
  const loc = store.locate(job.changes[0]!.id)!
  // verifyFrame wants its objects by ascending offset.
  const objects = [...job.objects].sort((a, b) => a.offset - b.offset)
  const into = free.pop() ?? new ArrayBuffer(RAW_BUFFER)
  const what = `pack ${job.pack} at ${job.frameOffset}`
  // A local pack is read by the worker itself: its bytes never pass through this thread.
  const backend = store.backend
  const raw = isFileBackend(backend)
    ? await pool.verifyFile({ path: backend.filePath(packKey(job.pack)), offset: loc.entry.frameOffset, length: loc.entry.frameLength }, objects, what, into)
    : (await pool.verify(await reader.read(loc, opts), objects, what, true, into)).raw
  const byOffset = new Map(objects.map((o) => [o.id.toString('hex'), o]))
  const pieces = job.changes.map((c) => {
    const o = byOffset.get(c.id)!
    return { change: c, body: raw!.subarray(o.offset, o.offset + o.length) }
  })
  // The frame came back in our buffer unless it did not fit (then it has one of its own).
  const back = raw!.buffer as ArrayBuffer
  return { kind: 'chunks', pieces, release: () => back.byteLength === RAW_BUFFER && free.push(back) }
}
