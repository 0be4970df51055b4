/**
 * What gc will do, decided from the pack listing and the mark bits before anything changes, so a dry
 * run reports exactly what a real run frees. Per pack older than the grace period:
 *  - no live object: delete it;
 *  - dead frames (frames without a live object) over REWRITE_DEAD_FRACTION of its bytes: rewrite it,
 *    copying its live frames as stored into new packs, then delete it;
 *  - otherwise keep it.
 * Packs younger than the grace period are never touched, nor counted. Frames are the unit because they
 * are copied compressed, never recompressed: a dead object inside a live frame stays until the frame dies.
 */
import type { ObjectStore } from '../objects/object-store.js'
import { PACK_TARGET } from '../pack/pack-writer.js'
import { IDX_ENTRY_BYTES, IDX_HEADER_BYTES, IDX_TRAILER_BYTES, PACK_HEADER, type PackEntry } from '../pack/pack-index.js'
import { type PackFiles, packMtime } from './pack-files.js'
import type { LiveMarks } from './live-marks.js'
import { framesOf } from './verify-pack.js'

/** Rewriting copies the live part to free the dead part; at 30% dead, freeing X bytes costs at most
 *  2.3 X bytes of copying, and a pack is never rewritten for a few percent. */
export const REWRITE_DEAD_FRACTION = 0.3

export interface LiveFrame {
  offset: number
  length: number
  /** The live objects inside: the only ones the new pack's index lists. */
  entries: PackEntry[]
}

export interface PackDecision {
  name: string
  action: 'delete' | 'rewrite' | 'keep'
  /** Bytes of the pack and its index. */
  bytes: number
  objects: number
  liveObjects: number
  /** For rewrite: the frames to copy, in pack order. */
  liveFrames: LiveFrame[]
}

export interface NewPackEstimate {
  /** Bytes of the new pack and its index, exactly as PackWriter will write them. */
  bytes: number
  objects: number
}

export interface GcPlan {
  decisions: PackDecision[]
  newPacks: NewPackEstimate[]
  /** Packs within the grace period, untouched. */
  youngPacks: string[]
  /** Old packs without an index: debris of a crash between saving a pack and its index. */
  unindexed: Array<{ name: string; bytes: number }>
  /** Indexes whose pack is missing: damage for fsck to report, left alone. */
  orphanIndexes: string[]
}

export function planGc(files: readonly PackFiles[], store: ObjectStore, marks: LiveMarks, o: { now: number; graceMs: number }): GcPlan {
  const plan: GcPlan = { decisions: [], newPacks: [], youngPacks: [], unindexed: [], orphanIndexes: [] }
  const old = (f: PackFiles) => packMtime(f) <= o.now - o.graceMs
  for (const f of files) {
    if (!old(f)) plan.youngPacks.push(f.name)
    else if (!f.index) plan.unindexed.push({ name: f.name, bytes: f.pack!.size })
    else if (!f.pack) plan.orphanIndexes.push(f.name)
    else {
      const index = store.packIndex(f.name)
      if (index) plan.decisions.push(decide(f, index, marks))
    }
  }
  plan.newPacks = estimateNewPacks(plan.decisions)
  return plan
}

function decide(f: PackFiles, index: NonNullable<ReturnType<ObjectStore['packIndex']>>, marks: LiveMarks): PackDecision {
  const bytes = f.pack!.size + f.index!.size
  const liveObjects = marks.liveCount(f.name)
  const d: PackDecision = { name: f.name, action: 'keep', bytes, objects: index.count, liveObjects, liveFrames: [] }
  if (liveObjects === 0) return { ...d, action: 'delete' }
  let deadBytes = 0
  for (const frame of framesOf(index)) {
    const entries = frame.entries.filter((i) => marks.isLive(f.name, i)).map((i) => index.entry(i))
    if (entries.length) d.liveFrames.push({ offset: frame.offset, length: frame.length, entries })
    else deadBytes += frame.length
  }
  if (deadBytes > REWRITE_DEAD_FRACTION * f.pack!.size) return { ...d, action: 'rewrite' }
  return { ...d, liveFrames: [] }
}

/** Mirrors how the rewrite fills PackWriters: frames in order, a pack closed once it reaches PACK_TARGET. */
export function estimateNewPacks(decisions: readonly PackDecision[]): NewPackEstimate[] {
  const out: NewPackEstimate[] = []
  let bytes = PACK_HEADER.length
  let objects = 0
  const close = () => {
    if (objects) out.push({ bytes: bytes + IDX_HEADER_BYTES + objects * IDX_ENTRY_BYTES + IDX_TRAILER_BYTES, objects })
    bytes = PACK_HEADER.length
    objects = 0
  }
  for (const d of decisions) {
    if (d.action !== 'rewrite') continue
    for (const frame of d.liveFrames) {
      bytes += frame.length
      objects += frame.entries.length
      if (bytes >= PACK_TARGET) close()
    }
  }
  close()
  return out
}
