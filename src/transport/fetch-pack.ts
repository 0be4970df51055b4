/**
 * fetchPack: brings a remote's refs and everything they reach into a local repository, moving only
 * what the local store lacks (PROTOCOL.md § 6). One request when nothing is new; otherwise one
 * negotiation, then the missing chunks on parallel streams, then the metadata, then the refs, in
 * FORMAT.md's write order. Every verified chunk is kept as it arrives, so a retry resumes.
 */
import type { ProgressOptions } from '../options.js'
import { ProtocolError, throwIfAborted } from '../errors.js'
import { type ObjectId, type ObjectKind, idFromBytes, idToBytes } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import { children } from '../objects/walk.js'
import type { RefName } from '../refs/ref-name.js'
import type { Repository } from '../repository.js'
import { IDS_PER_REQUEST } from './limits.js'
import { IdList } from './id-list.js'
import { SkippingNegotiator, collectHaves } from './negotiator.js'
import { type Remote, type TransferStats, emptyStats } from './remote.js'
import { defaultFetchRefspecs, mapRef, parseRefspec } from './refspec.js'
import { STREAMS_DEFAULT, splitStreams } from './stream-split.js'
import { type RefChange, updateFetchedRefs } from './fetched-refs.js'
import { FrameStreamWriter } from './frame-stream.js'
import { runStreams } from './parallel-streams.js'
import { StoreQueue } from './store-queue.js'

export interface FetchOptions extends ProgressOptions {
  repo: Pick<Repository, 'objects' | 'refs'>
  remote: Remote
  /** The remote's name: remote-tracking refs go to refs/remotes/<name>/ by the default refspecs. */
  remoteName?: string
  /** git refspecs; default defaultFetchRefspecs(remoteName), or every ref to itself without a name. */
  refspecs?: string[]
  /** Negotiate and measure, but store nothing and move no ref. */
  dryRun?: boolean
  /** Parallel chunk streams, 1 to 4 (default 2). */
  streams?: number
}

export interface FetchResult {
  /** The remote's HEAD branch, as advertised. */
  head: RefName | null
  /** Every ref the remote advertised. */
  advertised: Array<[RefName, ObjectId]>
  /** What happened (or, for a dry run, would happen) to each local ref the refspecs name. */
  refs: RefChange[]
  metadata: { objects: number; bytes: number }
  /** Chunks asked for (wanted, rawBytes) and received (objects, and bytes of the chunk response
   *  bodies); for a dry run, what would be received. */
  chunks: { wanted: number; rawBytes: number; objects: number; bytes: number }
  /** Request and body totals of this call; for a dry run bytesReceived is what the fetch would receive. */
  stats: TransferStats
  dryRun: boolean
}

interface Fetched {
  kind: ObjectKind
  body: Buffer
}

export async function fetchPack(o: FetchOptions): Promise<FetchResult> {
  const { remote } = o
  const store = o.repo.objects
  const before = { ...remote.stats }
  const ad = await remote.advertise(o)
  const specs = (o.refspecs ?? (o.remoteName ? defaultFetchRefspecs(o.remoteName) : ['refs/*:refs/*'])).map(parseRefspec)
  const mappings: Array<{ remote: RefName; local: RefName; id: ObjectId; force: boolean }> = []
  for (const [name, id] of ad.refs) {
    const spec = specs.find((s) => mapRef(s, name) !== undefined)
    if (spec) mappings.push({ remote: name, local: mapRef(spec, name)!, id, force: spec.force })
  }
  await store.load(o)
  const wants = [...new Set(mappings.map((m) => m.id))].filter((id) => !store.contains(idToBytes(id)))
  const result: FetchResult = {
    head: ad.head,
    advertised: ad.refs,
    refs: [],
    metadata: { objects: 0, bytes: 0 },
    chunks: { wanted: 0, rawBytes: 0, objects: 0, bytes: 0 },
    stats: emptyStats(),
    dryRun: o.dryRun === true,
  }
  const received = new Map<string, Fetched>()
  let dryRunExtra = 0
  if (wants.length) {
    const negotiator = new SkippingNegotiator(store)
    for (const m of mappings) if (store.contains(idToBytes(m.id))) negotiator.knownCommon(m.id)
    for await (const [, id] of o.repo.refs.list('refs/', o)) negotiator.addTip(id)
    const haves = await collectHaves(negotiator, undefined, o)
    o.onProgress?.({ phase: 'negotiate', done: 0, unit: 'objects' })
    const { common, frames } = await remote.negotiate({ wants, haves }, o)
    for (const id of common) negotiator.ack(id)
    for await (const f of frames) {
      for (const obj of f.objects) received.set(idFromBytes(obj.id), { kind: obj.kind, body: f.raw!.subarray(obj.offset, obj.offset + obj.length) })
      result.metadata.objects += f.objects.length
      result.metadata.bytes += f.data.length
      o.onProgress?.({ phase: 'metadata', done: result.metadata.objects, unit: 'objects' })
    }
    const need = chunksToFetch(store, wants, received, remote.url)
    result.chunks.wanted = need.ids.length
    result.chunks.rawBytes = need.rawBytes
    const batch = Math.min(IDS_PER_REQUEST, ad.limits.idsPerRequest)
    const streams = splitStreams(need.ids.length, Math.min(o.streams ?? STREAMS_DEFAULT, ad.limits.streams), batch)
    if (o.dryRun) {
      const measuring = remote.stats.bytesReceived
      for (const requests of streams) {
        for (const [a, b] of requests) {
          const m = await remote.measureChunks(need.ids.range(a, b), o)
          result.chunks.objects += m.objects
          result.chunks.bytes += m.bytes
        }
      }
      // Report what the fetch would receive: the chunk streams instead of the measurements.
      dryRunExtra = result.chunks.bytes - (remote.stats.bytesReceived - measuring)
    } else {
      await fetchChunks(o, store, need.ids, need.lengths, streams, result)
      await storeMetadata(store, received, o)
    }
  }
  result.refs = await updateFetchedRefs(o.repo, mappings, received, o.dryRun === true, o)
  result.stats = statsSince(before, remote.stats)
  result.stats.bytesReceived += dryRunExtra
  return result
}

/** Chunks reachable from the wants through received metadata that the local store lacks, in the order
 * met (file order within each file), with their raw lengths. Metadata not received must be local. */
function chunksToFetch(store: ObjectStore, wants: ObjectId[], received: Map<string, Fetched>, url: string): { ids: IdList; lengths: number[]; rawBytes: number } {
  const ids = new IdList()
  const lengths: number[] = []
  let rawBytes = 0
  const visited = new Set<string>()
  const stack = [...wants].reverse()
  while (stack.length) {
    const id = stack.pop()!
    if (visited.has(id)) continue
    visited.add(id)
    const got = received.get(id)
    if (!got) {
      if (store.contains(idToBytes(id))) continue
      throw new ProtocolError(`remote '${url}' did not send object ${id}, which the fetch needs`, { id })
    }
    const kids = children(got.kind, got.body, id)
    for (let i = kids.length - 1; i >= 0; i--) {
      const c = kids[i]!
      if (c.kind !== 'chunk') stack.push(c.id)
    }
    for (const c of kids) {
      if (c.kind !== 'chunk') continue
      const raw = idToBytes(c.id)
      if (!store.contains(raw) && ids.add(raw)) {
        lengths.push(c.length ?? 0)
        rawBytes += c.length ?? 0
      }
    }
  }
  return { ids, lengths, rawBytes }
}

/** Saves a pack of received chunks at least this often, so a killed fetch keeps most of what it got. */
const FLUSH_INTERVAL_MS = 5000

async function fetchChunks(o: FetchOptions, store: ObjectStore, ids: IdList, lengths: number[], streams: Array<Array<[number, number]>>, result: FetchResult): Promise<void> {
  const total = lengths.reduce((a, b) => a + b, 0)
  let done = 0
  let lastFlush = Date.now()
  // Packs are saved in the background while the streams go on receiving (store-queue.ts).
  const queue = new StoreQueue(store)
  // One failing stream stops the others; whatever arrived verified is kept either way.
  try {
    await runStreams(streams, o.signal, async (requests, signal) => {
      for (const [a, b] of requests) {
        // Counts the response body exactly, record heads included, as a dry run measures it.
        const meter = new FrameStreamWriter()
        result.chunks.bytes += size(meter.start())
        for await (const f of o.remote.fetchChunks(ids.range(a, b), { signal })) {
          throwIfAborted(signal)
          const frameBytes = f.data.length
          // Handed over (ObjectStore.putFrame, release): the frame's buffer is freed once the pack has it.
          await queue.putFrame(f, { release: true })
          result.chunks.objects += f.objects.length
          result.chunks.bytes += meter.frameHead(f.objects, frameBytes).length + frameBytes
          // Raw bytes received, capped: a whole stored frame may carry a few chunks not asked for.
          done = Math.min(total, done + f.objects.reduce((n, x) => n + x.length, 0))
          o.onProgress?.({ phase: 'chunks', done, total, unit: 'bytes' })
          if (Date.now() - lastFlush >= FLUSH_INTERVAL_MS) {
            lastFlush = Date.now()
            await queue.flush()
          }
        }
        result.chunks.bytes += size(meter.end())
      }
    })
  } finally {
    await queue.flush()
  }
  for (const raw of ids) {
    if (!store.contains(raw)) throw new ProtocolError(`remote '${o.remote.url}' did not send chunk ${idFromBytes(raw)}`, { id: idFromBytes(raw) })
  }
}

/** The metadata goes in after every chunk it names is durable, as one pack (FORMAT.md write order). */
async function storeMetadata(store: ObjectStore, received: Map<string, Fetched>, o: FetchOptions): Promise<void> {
  for (const { kind, body } of received.values()) store.put(kind, body)
  await store.flush(o)
}

function size(bufs: Buffer[]): number {
  return bufs.reduce((a, b) => a + b.length, 0)
}

function statsSince(before: TransferStats, now: TransferStats): TransferStats {
  const out = emptyStats()
  for (const k of Object.keys(out) as Array<keyof TransferStats>) out[k] = now[k] - before[k]
  return out
}
