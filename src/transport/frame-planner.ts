/**
 * How a sender turns a list of wanted ids into frames (PROTOCOL.md § 6.4): grouped by the stored
 * frame holding them; a frame whose wanted objects are at least half of its bytes goes whole, as
 * stored; the wanted bodies of the other frames are re-framed together into new ~2 MiB frames.
 * Both the server (chunks) and the client (upload) send this way.
 */
import type { AbortOptions } from '../options.js'
import { NotFoundError, throwIfAborted } from '../errors.js'
import { idFromBytes } from '../objects/id.js'
import type { ObjectLocation, ObjectStore } from '../objects/object-store.js'
import { FRAME_TARGET, type CompressedFrame, type FrameObject } from '../pack/frame.js'
import { ZSTD_LEVEL_DEFAULT } from '../pack/zstd.js'
import { FrameMaps } from './frame-map.js'
import type { FramePool } from '../pack/frame-pool.js'
import type { ReframeSource } from '../pack/reframe.js'
import { pipelined } from '../threads/pipelined.js'
import { FrameReader } from '../pack/frame-reader.js'

/** A stored frame is sent whole when at least this fraction of its bytes is wanted; see PROTOCOL.md § 6.4. */
export const WHOLE_FRAME_FRACTION = 0.5
/** Ids grouped at a time: bounds the planner's memory however long the list is. */
const WINDOW_IDS = 4096
/** Frames being loaded or re-framed ahead of the one being sent. */
const AHEAD = 4

export type Shipment =
  | { type: 'stored'; loc: ObjectLocation; objects: FrameObject[] }
  | { type: 'reframe'; sources: PlannedSource[]; objects: FrameObject[] }

/** Where the bodies of a re-framed frame come from: a stored frame, or bodies not yet in a pack. */
export type PlannedSource = { loc: ObjectLocation; slices: number[] } | { raw: Buffer; slices: number[] }

export interface PlanOptions extends AbortOptions {
  wholeFraction?: number
}

/** Plans the frames that carry ids (raw, distinct, all held by the store). */
export async function* planShipments(store: ObjectStore, ids: Iterable<Buffer>, o: PlanOptions = {}): AsyncIterable<Shipment> {
  const fraction = o.wholeFraction ?? WHOLE_FRAME_FRACTION
  const maps = new FrameMaps(store)
  const acc = new Reframer()
  let window: Buffer[] = []
  const flushWindow = async function* (): AsyncIterable<Shipment> {
    const groups = new Map<string, { loc: ObjectLocation; wanted: FrameObject[] }>()
    for (const id of window) {
      const loc = store.locate(idFromBytes(id))
      if (!loc) {
        // Not in a saved pack yet (another upload's frame, waiting for its pack): take the body.
        const obj = await store.get(idFromBytes(id), o)
        const s = acc.addRaw(id, obj.kind, obj.body)
        if (s) yield s
        continue
      }
      const key = `${loc.pack}:${loc.entry.frameOffset}`
      let g = groups.get(key)
      if (!g) groups.set(key, (g = { loc, wanted: [] }))
      g.wanted.push({ id: Buffer.from(id), kind: loc.entry.kind, offset: loc.entry.offset, length: loc.entry.length })
    }
    window = []
    for (const g of groups.values()) {
      throwIfAborted(o.signal)
      const all = maps.objectsOf(g.loc.pack, g.loc.entry.frameOffset)
      if (!all) throw new NotFoundError(`pack ${g.loc.pack} is no longer in the store`, { pack: g.loc.pack })
      const total = all.reduce((a, x) => a + x.length, 0)
      const wanted = g.wanted.reduce((a, x) => a + x.length, 0)
      if (wanted >= fraction * total) {
        yield { type: 'stored', loc: g.loc, objects: all }
      } else {
        g.wanted.sort((a, b) => a.offset - b.offset)
        for (const s of acc.addStored(g.loc, g.wanted)) yield s
      }
    }
  }
  for (const id of ids) {
    window.push(id)
    if (window.length >= WINDOW_IDS) yield* flushWindow()
  }
  yield* flushWindow()
  const last = acc.take()
  if (last) yield last
}

/** Collects wanted bodies of partly wanted frames into re-framed shipments of ~FRAME_TARGET raw bytes. */
class Reframer {
  private sources: PlannedSource[] = []
  private objects: FrameObject[] = []
  private size = 0

  addRaw(id: Buffer, kind: FrameObject['kind'], body: Buffer): Shipment | undefined {
    this.sources.push({ raw: body, slices: [0, body.length] })
    this.objects.push({ id: Buffer.from(id), kind, offset: this.size, length: body.length })
    this.size += body.length
    return this.size >= FRAME_TARGET ? this.take() : undefined
  }

  addStored(loc: ObjectLocation, wanted: FrameObject[]): Shipment[] {
    const out: Shipment[] = []
    let source: PlannedSource | undefined
    for (const w of wanted) {
      if (!source) this.sources.push((source = { loc, slices: [] }))
      source.slices.push(w.offset, w.length)
      this.objects.push({ id: w.id, kind: w.kind, offset: this.size, length: w.length })
      this.size += w.length
      if (this.size >= FRAME_TARGET) {
        out.push(this.take()!)
        source = undefined
      }
    }
    return out
  }

  take(): Shipment | undefined {
    if (this.objects.length === 0) return undefined
    const s: Shipment = { type: 'reframe', sources: this.sources, objects: this.objects }
    this.sources = []
    this.objects = []
    this.size = 0
    return s
  }
}

export interface ShipOptions extends PlanOptions {
  pool: FramePool
  /** zstd level of re-framed frames (default 3). */
  level?: number
}

/** The bytes of one planned frame: the stored bytes, or a new frame of the wanted bodies. A pack
 * that gc replaced since it was planned is read again object by object through the store. */
export async function materialize(store: ObjectStore, s: Shipment, o: ShipOptions, reader = new FrameReader(store)): Promise<CompressedFrame> {
  try {
    if (s.type === 'stored') return { data: await reader.read(s.loc, o), objects: s.objects }
    const sources: ReframeSource[] = []
    for (const src of s.sources) sources.push('raw' in src ? src : { data: await reader.read(src.loc, o), slices: src.slices })
    return { data: await o.pool.reframe(sources, o.level ?? ZSTD_LEVEL_DEFAULT, 'a stored frame'), objects: s.objects }
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err
    return refetched(store, s.objects, o)
  }
}

async function refetched(store: ObjectStore, objects: FrameObject[], o: ShipOptions): Promise<CompressedFrame> {
  const sources: ReframeSource[] = []
  const out: FrameObject[] = []
  let offset = 0
  for (const obj of objects) {
    const { body } = await store.get(idFromBytes(obj.id), o)
    sources.push({ raw: body, slices: [0, body.length] })
    out.push({ ...obj, offset })
    offset += body.length
  }
  return { data: await o.pool.reframe(sources, o.level ?? ZSTD_LEVEL_DEFAULT, 'a stored frame'), objects: out }
}

/** Plans and materializes ids into frames, a few frames ahead, in plan order. */
export function shipFrames(store: ObjectStore, ids: Iterable<Buffer>, o: ShipOptions): AsyncIterable<CompressedFrame> {
  const reader = new FrameReader(store)
  return pipelined(planShipments(store, ids, o), AHEAD, (s) => materialize(store, s, o, reader))
}
