/**
 * `ankagit du [REV...]`: what each version adds to the object store. For every commit, the objects
 * reachable from its tree and from none of its parents' trees: the distinct new chunks (count and
 * raw bytes) and new metadata (the commit, vm trees, file-tree nodes), each with an estimate of the
 * compressed bytes it occupies. A chunk the parent holds anywhere (another file, another offset)
 * is not new, so this is what pushing the version onto its parent sends, near enough.
 *
 * Compressed sizes are estimates because chunks share zstd frames (FORMAT.md § Packs): each object
 * is charged its frame's compressed length times its share of the frame's raw bytes, so the charges
 * of all objects of a frame add up to the frame exactly.
 */
import type { ProgressOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import type { Commit } from '../objects/commit.js'
import type { ObjectStore } from '../objects/object-store.js'
import { readCommit } from '../objects/read.js'
import { walkReachable } from '../objects/walk.js'
import { LiveMarks } from '../maintenance/live-marks.js'
import { log } from './log.js'
import { resolveCommitish } from './revision.js'

export interface DuOptions extends ProgressOptions {
  repo: Repository
  /** Exactly these commits, in this order; default every commit reachable from HEAD, newest first. */
  revs?: string[]
  /** With no revs: at most this many commits. */
  maxCount?: number
}

export interface DuEntry {
  id: ObjectId
  commit: Commit
  /** Distinct chunks reachable from the commit and from none of its parents. */
  chunks: number
  /** Their uncompressed bytes. */
  rawBytes: number
  /** Estimate of their compressed bytes in the packs. */
  storedBytes: number
  /** New metadata objects (this commit, vm trees, file-tree nodes) and their compressed estimate. */
  metadataObjects: number
  metadataBytes: number
}

export async function* du(o: DuOptions): AsyncIterable<DuEntry> {
  const { repo } = o
  await repo.objects.load(o)
  const frames = new FrameSizes(repo.objects)
  const walked = { objects: 0 }
  if (o.revs?.length) {
    for (const rev of o.revs) {
      const id = await resolveCommitish(repo, rev, o)
      yield await measureCommit(repo, id, await readCommit(repo.objects, id, o), frames, walked, o)
    }
    return
  }
  for await (const e of log({ repo, maxCount: o.maxCount, signal: o.signal })) yield await measureCommit(repo, e.id, e.commit, frames, walked, o)
}

async function measureCommit(repo: Repository, id: ObjectId, commit: Commit, frames: FrameSizes, walked: { objects: number }, o: ProgressOptions): Promise<DuEntry> {
  const store = repo.objects
  const progress = () => {
    if ((++walked.objects & 1023) === 0) o.onProgress?.({ phase: 'reading trees', done: walked.objects, unit: 'objects' })
  }
  // One mark bit per stored object instead of a set of ids: a 60 GB disk has about a million chunks.
  const inParents = new LiveMarks(store)
  for (const p of commit.parents) {
    const parent = await readCommit(store, p, o)
    for await (const r of walkReachable(store, [{ id: parent.tree, kind: 'vm' }], { signal: o.signal, stop: (x) => inParents.isMarked(x) })) {
      inParents.mark(r.id)
      progress()
    }
  }
  const entry: DuEntry = { id, commit, chunks: 0, rawBytes: 0, storedBytes: 0, metadataObjects: 1, metadataBytes: frames.stored(id) }
  const counted = new LiveMarks(store)
  // A stored object is always in the index; one that is not (a store being written) is counted once by id.
  const unlocated = new Set<string>()
  // A tree node the parents reach is entered no further: everything below it is theirs too.
  for await (const r of walkReachable(store, [{ id: commit.tree, kind: 'vm' }], { signal: o.signal, stop: (x) => inParents.isMarked(x) })) {
    progress()
    if (counted.isMarked(r.id) || unlocated.has(r.id)) continue
    if (!counted.mark(r.id)) unlocated.add(r.id)
    if (r.kind === 'chunk') {
      entry.chunks++
      entry.rawBytes += r.length ?? 0
      entry.storedBytes += frames.stored(r.id)
    } else {
      entry.metadataObjects++
      entry.metadataBytes += frames.stored(r.id)
    }
  }
  return entry
}

/**
 * Compressed share of one stored object: its frame's compressed length times its part of the frame's
 * raw bytes. A frame's raw size is not in the index; it is the end of the frame's last object, found
 * by one pass over the pack's index, kept per pack.
 */
class FrameSizes {
  private readonly rawByPack = new Map<string, Map<number, number>>()

  constructor(private readonly store: ObjectStore) {}

  stored(id: ObjectId): number {
    const loc = this.store.locate(id)
    if (!loc) return 0
    const raw = this.frameRaw(loc.pack).get(loc.entry.frameOffset) ?? 0
    if (raw === 0) return 0
    return Math.round((loc.entry.frameLength * loc.entry.length) / raw)
  }

  private frameRaw(pack: string): Map<number, number> {
    let sizes = this.rawByPack.get(pack)
    if (sizes) return sizes
    sizes = new Map()
    const index = this.store.packIndex(pack)
    for (let i = 0; i < (index?.count ?? 0); i++) {
      const e = index!.entry(i)
      sizes.set(e.frameOffset, Math.max(sizes.get(e.frameOffset) ?? 0, e.offset + e.length))
    }
    this.rawByPack.set(pack, sizes)
    return sizes
  }
}
