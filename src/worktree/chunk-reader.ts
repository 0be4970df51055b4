/**
 * Reads the chunks a checkout writes, in order, with the CPU work on worker threads: consecutive
 * chunks of one stored frame become one job that reads the compressed frame, and a worker
 * decompresses it and verifies every wanted chunk against its id (FramePool.verify). A few frames are
 * in flight ahead of the writer. Single-threaded, decompressing and hashing held a checkout of 700 MB
 * to ~6x the time of `cp --sparse=always` (BENCHMARKS.md).
 */
import type { AbortOptions } from '../options.js'
import type { ObjectId } from '../objects/id.js'
import { idToBytes } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import type { Change } from '../objects/file-extents.js'
import type { FramePool } from '../pack/frame-pool.js'
import type { FrameObject } from '../pack/frame.js'
import { pipelined } from '../threads/pipelined.js'
import { FrameReader } from '../pack/frame-reader.js'

/** Frames verified ahead of the one being written (~1 MiB compressed, 2 MiB raw each). */
const DEPTH = 4

export type ReadChange = { change: Extract<Change, { kind: 'hole' }> } | { change: Extract<Change, { kind: 'chunk' }>; body: Buffer }

type Job =
  | { kind: 'hole'; change: Extract<Change, { kind: 'hole' }> }
  | { kind: 'frame'; changes: Array<Extract<Change, { kind: 'chunk' }>>; pack: string; frameOffset: number; frameLength: number; objects: FrameObject[] }
  | { kind: 'single'; change: Extract<Change, { kind: 'chunk' }> }

/** The changes in order, each chunk with its verified body. */
export async function* readChunks(store: ObjectStore, pool: FramePool, changes: AsyncIterable<Change>, opts: AbortOptions = {}): AsyncIterable<ReadChange> {
  await store.load(opts)
  const reader = new FrameReader(store)
  const jobs = pipelined(groupByFrame(store, changes), DEPTH, (job) => runJob(store, reader, pool, job, opts))
  for await (const out of jobs) yield* out
}

async function* groupByFrame(store: ObjectStore, changes: AsyncIterable<Change>): AsyncIterable<Job> {
  let open: Extract<Job, { kind: 'frame' }> | undefined
  for await (const c of changes) {
    if (c.kind === 'hole') {
      if (open) yield open
      open = undefined
      yield { kind: 'hole', change: c }
      continue
    }
    const loc = store.locate(c.id)
    if (!loc) {
      // Not in a saved pack (or gone): the store's own read path finds it or says what is wrong.
      if (open) yield open
      open = undefined
      yield { kind: 'single', change: c }
      continue
    }
    const { frameOffset, frameLength, offset, length, kind } = loc.entry
    if (!open || open.pack !== loc.pack || open.frameOffset !== frameOffset) {
      if (open) yield open
      open = { kind: 'frame', changes: [], pack: loc.pack, frameOffset, frameLength, objects: [] }
    }
    open.changes.push(c)
    if (!open.objects.some((o) => o.offset === offset)) open.objects.push({ id: idToBytes(c.id as ObjectId), kind, offset, length })
  }
  if (open) yield open
}

async function runJob(store: ObjectStore, reader: FrameReader, pool: FramePool, job: Job, opts: AbortOptions): Promise<ReadChange[]> {
  if (job.kind === 'hole') return [{ change: job.change }]
  if (job.kind === 'single') return [{ change: job.change, body: (await store.get(job.change.id, opts)).body }]
  const loc = store.locate(job.changes[0]!.id)!
  const data = await reader.read(loc, opts)
  // verifyFrame wants its objects by ascending offset.
  const objects = [...job.objects].sort((a, b) => a.offset - b.offset)
  const { raw } = await pool.verify(data, objects, `pack ${job.pack} at ${job.frameOffset}`, true)
  return job.changes.map((c) => {
    const o = objects.find((x) => x.id.equals(idToBytes(c.id as ObjectId)))!
    return { change: c, body: raw!.subarray(o.offset, o.offset + o.length) }
  })
}
