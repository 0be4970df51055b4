/**
 * pushRefs: sends what a remote lacks of the history some refs point at, then moves the remote's
 * refs by compare-and-swap (PROTOCOL.md § 7). The metadata of the new history is found locally
 * (metadata-delta.ts against the remote's advertised values), one batched query learns which of it
 * and of its chunks the remote lacks, chunks go up on parallel streams as stored frames, metadata
 * follows children first, and update-refs moves every accepted ref or none.
 */
import type { ProgressOptions } from '../options.js'
import { NotFoundError } from '../errors.js'
import { type ObjectId, idToBytes } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import { children } from '../objects/walk.js'
import type { CompressedFrame } from '../pack/frame.js'
import type { RefName } from '../refs/ref-name.js'
import type { RefUpdate } from '../refs/ref-store.js'
import type { Repository } from '../repository.js'
import { isAncestor } from '../objects/ancestry.js'
import { FramePool } from '../pack/frame-pool.js'
import { materialize, planShipments, shipFrames } from './frame-planner.js'
import { FrameStreamWriter } from './frame-stream.js'
import { IdList } from './id-list.js'
import { IDS_PER_REQUEST } from './limits.js'
import type { Advertisement, WireRefUpdate } from './messages.js'
import { metadataDelta } from './metadata-delta.js'
import { type Remote, type TransferStats, emptyStats } from './remote.js'
import { STREAMS_DEFAULT, splitStreams } from './stream-split.js'
import { runStreams } from './parallel-streams.js'

export interface PushUpdate {
  /** The remote ref to set. */
  name: RefName
  /** The local value to set it to; null deletes it. */
  next: ObjectId | null
  force?: boolean
}

export interface PushOptions extends ProgressOptions {
  repo: Pick<Repository, 'objects' | 'refs'>
  remote: Remote
  /** When given, refs/remotes/<name>/<branch> follow the branches pushed. */
  remoteName?: string
  updates: PushUpdate[]
  /** Allow every update that is not a fast-forward. */
  force?: boolean
  /** Find and measure what would be sent (exact bytes), send nothing, move no ref. */
  dryRun?: boolean
  /** Parallel chunk upload streams, 1 to 4 (default 2). */
  streams?: number
  /** Worker threads for re-framing partly wanted frames; default a pool of its own. */
  pool?: FramePool
}

export interface PushRefResult {
  name: RefName
  old: ObjectId | null
  new: ObjectId | null
  status: 'up-to-date' | 'created' | 'updated' | 'forced' | 'deleted' | 'rejected'
  reason?: 'non-fast-forward' | 'fetch first' | 'tag exists'
}

export interface PushResult {
  refs: PushRefResult[]
  /** What was sent (for a dry run: would be sent). bytes: upload body bytes. */
  sent: { metadataObjects: number; chunkObjects: number; rawBytes: number; frames: number; bytes: number }
  stats: TransferStats
  dryRun: boolean
}

export async function pushRefs(o: PushOptions): Promise<PushResult> {
  const { remote } = o
  const store = o.repo.objects
  const before = { ...remote.stats }
  const ad = await advertiseOrEmpty(remote, o)
  const remoteRefs = new Map<string, ObjectId>(ad.refs)
  await store.load(o)
  const results = await judgeUpdates(store, o, remoteRefs)
  const accepted = results.filter((r) => r.status !== 'up-to-date' && r.status !== 'rejected')
  const result: PushResult = { refs: results, sent: { metadataObjects: 0, chunkObjects: 0, rawBytes: 0, frames: 0, bytes: 0 }, stats: emptyStats(), dryRun: o.dryRun === true }
  if (accepted.length === 0) return finish(result, before, remote)

  const pool = o.pool ?? new FramePool()
  pool.warm()
  try {
    await send(o, ad, accepted, [...new Set(remoteRefs.values())], pool, result)
  } finally {
    if (!o.pool) await pool.close()
  }
  return finish(result, before, remote)
}

/** Finds what the remote lacks, sends it (or measures it, for a dry run), then moves the refs. */
async function send(o: PushOptions, ad: Pick<Advertisement, 'limits'>, accepted: PushRefResult[], remoteValues: ObjectId[], pool: FramePool, result: PushResult): Promise<void> {
  const { remote } = o
  const store = o.repo.objects
  const wants = accepted.flatMap((r) => (r.new ? [r.new] : []))
  const haves = remoteValues.filter((id) => store.contains(idToBytes(id)))
  const { metadata, chunks, chunkLengths } = await collectDelta(store, wants, haves, o)
  o.onProgress?.({ phase: 'missing', done: 0, total: metadata.length + chunks.length, unit: 'objects' })
  const lacking = await askMissing(remote, metadata, chunks, Math.min(IDS_PER_REQUEST, ad.limits.idsPerRequest), o)
  const sendChunks = new IdList()
  for (let i = 0; i < chunks.length; i++) {
    if (lacking.has(chunks.at(i)) && sendChunks.add(chunks.at(i))) result.sent.rawBytes += chunkLengths[i]!
  }
  // Children before parents: the delta lists trees top-down and history newest first.
  const sendMeta = metadata.filter((id) => lacking.has(idToBytes(id))).reverse()
  result.sent.chunkObjects = sendChunks.length
  result.sent.metadataObjects = sendMeta.length

  const ranges = splitStreams(sendChunks.length, Math.min(o.streams ?? STREAMS_DEFAULT, ad.limits.streams), Number.MAX_SAFE_INTEGER).map((r) => r[0]!)
  const chunkStreams = ranges.map(([a, b]) => () => rangeOf(sendChunks, a, b))
  const metaStream = () => sendMeta.map((id) => idToBytes(id))
  if (o.dryRun) {
    for (const ids of chunkStreams) await measureUpload(store, ids(), pool, result, o)
    if (sendMeta.length) await measureUpload(store, metaStream(), pool, result, o)
    return
  }
  const progress = { done: 0, total: result.sent.rawBytes }
  await runStreams(chunkStreams, o.signal, (ids, signal) => uploadIds(remote, store, ids(), pool, result, progress, { ...o, signal }))
  if (sendMeta.length) await uploadIds(remote, store, metaStream(), pool, result, progress, o)
  const wire: WireRefUpdate[] = accepted.map((r) => ({ name: r.name, old: r.old, new: r.new, force: r.status === 'forced' }))
  o.onProgress?.({ phase: 'refs', done: 0, total: wire.length, unit: 'objects' })
  await remote.updateRefs(wire, o)
  await followTrackingRefs(o, accepted)
}

async function advertiseOrEmpty(remote: Remote, o: PushOptions): Promise<Pick<Advertisement, 'refs' | 'limits'>> {
  try {
    return await remote.advertise(o)
  } catch (err) {
    // A repository that does not exist yet is created by this push.
    if (!(err instanceof NotFoundError)) throw err
    return { refs: [], limits: { idsPerRequest: IDS_PER_REQUEST, frameRawMax: 0, objectsPerFrame: 0, streams: STREAMS_DEFAULT } }
  }
}

/** git's client-side checks: up to date, created, deleted, fast-forward, or rejected (unless forced). */
async function judgeUpdates(store: ObjectStore, o: PushOptions, remoteRefs: Map<string, ObjectId>): Promise<PushRefResult[]> {
  const out: PushRefResult[] = []
  for (const u of o.updates) {
    const old = remoteRefs.get(u.name) ?? null
    const r: PushRefResult = { name: u.name, old, new: u.next, status: 'updated' }
    const force = u.force === true || o.force === true
    if (old === u.next) r.status = 'up-to-date'
    else if (u.next === null) r.status = 'deleted'
    else if (old === null) r.status = 'created'
    else if (u.name.startsWith('refs/tags/')) Object.assign(r, force ? { status: 'forced' } : { status: 'rejected', reason: 'tag exists' })
    else if (!store.contains(idToBytes(old))) Object.assign(r, force ? { status: 'forced' } : { status: 'rejected', reason: 'fetch first' })
    else if (!(await isAncestor(store, old, u.next, o))) Object.assign(r, force ? { status: 'forced' } : { status: 'rejected', reason: 'non-fast-forward' })
    out.push(r)
  }
  return out
}

/** The metadata ids of the new history (in delta order) and every chunk of its file nodes. */
async function collectDelta(store: ObjectStore, wants: ObjectId[], haves: ObjectId[], o: PushOptions): Promise<{ metadata: ObjectId[]; chunks: IdList; chunkLengths: number[] }> {
  const metadata: ObjectId[] = []
  const chunks = new IdList()
  const chunkLengths: number[] = []
  for await (const obj of metadataDelta(store, wants, haves, o)) {
    metadata.push(obj.id)
    if (obj.kind !== 'file') continue
    for (const c of children('file', obj.body, obj.id)) {
      if (c.kind === 'chunk' && chunks.add(idToBytes(c.id))) chunkLengths.push(c.length ?? 0)
    }
  }
  return { metadata, chunks, chunkLengths }
}

/** One batched query: metadata ids first, then chunk ids, as few requests as the limit allows. */
async function askMissing(remote: Remote, metadata: ObjectId[], chunks: IdList, batch: number, o: PushOptions): Promise<IdList> {
  const all = new IdList()
  for (const id of metadata) all.add(idToBytes(id))
  for (const id of chunks) all.add(id)
  const lacking = new IdList()
  for (let a = 0; a < all.length; a += batch) {
    const reply = await remote.missing(Buffer.from(all.range(a, a + batch)), o)
    for (let p = 0; p < reply.length; p += 32) lacking.add(reply.subarray(p, p + 32))
  }
  return lacking
}

function* rangeOf(list: IdList, a: number, b: number): Iterable<Buffer> {
  for (let i = a; i < b; i++) yield Buffer.from(list.at(i))
}

async function uploadIds(remote: Remote, store: ObjectStore, ids: Iterable<Buffer>, pool: FramePool, result: PushResult, progress: { done: number; total: number }, o: PushOptions): Promise<void> {
  // Counts the body the remote sends, record heads included, the way measureUpload does.
  const meter = new FrameStreamWriter()
  let bytes = size(meter.start())
  async function* frames(): AsyncIterable<CompressedFrame> {
    for await (const f of shipFrames(store, ids, { pool, signal: o.signal })) {
      bytes += meter.frameHead(f.objects, f.data.length).length + f.data.length
      progress.done = Math.min(progress.total, progress.done + f.objects.reduce((n, x) => n + x.length, 0))
      o.onProgress?.({ phase: 'upload', done: progress.done, total: progress.total, unit: 'bytes' })
      yield f
    }
  }
  await remote.upload(frames(), o)
  result.sent.frames += meter.totals.frames
  result.sent.bytes += bytes + size(meter.end())
}

function size(bufs: Buffer[]): number {
  return bufs.reduce((a, b) => a + b.length, 0)
}

/** Exactly the body bytes uploadIds would send for ids: stored frames by their length, re-framed ones
 * by compressing them. */
async function measureUpload(store: ObjectStore, ids: Iterable<Buffer>, pool: FramePool, result: PushResult, o: PushOptions): Promise<void> {
  const meter = new FrameStreamWriter()
  let bytes = size(meter.start())
  for await (const s of planShipments(store, ids, o)) {
    const length = s.type === 'stored' ? s.loc.entry.frameLength : (await materialize(store, s, { pool, signal: o.signal })).data.length
    bytes += meter.frameHead(s.objects, length).length + length
  }
  bytes += size(meter.end())
  result.sent.frames += meter.totals.frames
  result.sent.bytes += bytes
}

/** refs/remotes/<remote>/<branch> follow the branches just pushed (git does the same). */
async function followTrackingRefs(o: PushOptions, accepted: PushRefResult[]): Promise<void> {
  if (!o.remoteName) return
  const updates: RefUpdate[] = []
  for (const r of accepted) {
    if (!r.name.startsWith('refs/heads/')) continue
    updates.push({ name: `refs/remotes/${o.remoteName}/${r.name.slice('refs/heads/'.length)}` as RefName, next: r.new, message: 'update by push' })
  }
  if (updates.length) await o.repo.refs.update(updates, o)
}

function finish(result: PushResult, before: TransferStats, remote: Remote): PushResult {
  for (const k of Object.keys(result.stats) as Array<keyof TransferStats>) result.stats[k] = remote.stats[k] - before[k]
  if (result.dryRun) result.stats.bytesSent += result.sent.bytes
  return result
}

