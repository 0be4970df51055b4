/**
 * What an in-place update does, decided from the image's manifest, the host file pool and a seed
 * alone, so that both ways of applying it (loop mount, debugfs) produce the same files.
 *
 * With the upgrade mix, 60% of `changeBytes` are new files (real host files the image lacks,
 * at their host paths) and 40% are existing files of at least 256 KiB whose data blocks are
 * rewritten where they are; files worth a further 20% are deleted. New and deleted files go
 * folder by folder, as packages install and remove them. On an 8 GiB disk with 650 MB of files,
 * a 100 MB change gives 132-145 MiB of novel 64 KiB blocks (1.2x the 4 KiB ideal, README.md);
 * picking single files all over the disk instead gave 243 MiB.
 */
import * as path from 'node:path'
import * as fsp from 'node:fs/promises'
import { type HostFile } from './host-files.js'
import { type Manifest, MANIFEST_PATH } from './manifest.js'
import { pickByFolder, pickFiles } from './pick-files.js'
import { SeededBytes } from './seeded-random.js'

export interface UpdatePlan {
  /** Files whose non-zero 4 KiB blocks get new bytes in place; sizes unchanged. */
  rewrite: { path: string; size: number }[]
  remove: { path: string; size: number }[]
  /** Host files copied in at their own path. */
  add: HostFile[]
  /** Folders to create for the new files, parents first. */
  newDirs: string[]
  /** Host files whose bytes, in this order, become the rewritten blocks. */
  rewriteSource: HostFile[]
  /** The manifest after the update. */
  manifest: Manifest
}

/** How changeBytes splits into new, rewritten and (on top) deleted file bytes. */
export interface ChangeMix {
  add: number
  rewrite: number
  remove: number
}

/** A package upgrade. */
export const UPGRADE_MIX: ChangeMix = { add: 0.6, rewrite: 0.4, remove: 0.2 }
/** A few existing files edited where they are, nothing added or deleted: what a clone gets. */
export const EDIT_MIX: ChangeMix = { add: 0, rewrite: 1, remove: 0 }
/** Smallest file rewritten in place: the updated libraries and binaries of an upgrade, not small data files. */
export const REWRITE_MIN_BYTES = 256 * 1024

export function planUpdate(o: { manifest: Manifest; pool: readonly HostFile[]; seed: number; changeBytes: number; mix?: ChangeMix }): UpdatePlan {
  const mix = o.mix ?? UPGRADE_MIX
  const existing = o.manifest.files.filter((f) => f.path !== MANIFEST_PATH)
  const rewrite = pickFiles(existing.filter((f) => f.size >= REWRITE_MIN_BYTES), { bytes: o.changeBytes * mix.rewrite, seed: o.seed, label: 'update-rewrite' })
  const chosen = new Set(rewrite.map((f) => f.path))
  const remove = pickByFolder(existing, { bytes: o.changeBytes * mix.remove, seed: o.seed, label: 'update-remove', exclude: chosen })

  const taken = new Set<string>([...o.manifest.files.map((f) => f.path), ...o.manifest.dirs, ...o.manifest.others])
  const dirs = new Set(o.manifest.dirs)
  // A host file can only go where no non-folder entry is in its way.
  const placeable = o.pool.filter((f) => !ancestors(f.path).some((a) => taken.has(a) && !dirs.has(a)))
  const add = pickByFolder(placeable, { bytes: o.changeBytes * mix.add, seed: o.seed, label: 'update-add', exclude: taken })
  const used = new Set([...taken, ...add.map((f) => f.path)])
  const rewriteBytes = rewrite.reduce((a, f) => a + f.size, 0)
  const rewriteSource = pickFiles(o.pool, { bytes: rewriteBytes + (1 << 20), seed: o.seed, label: 'update-rewrite-source', exclude: used })

  const newDirs: string[] = []
  for (const f of add) {
    for (const a of ancestors(f.path)) {
      if (!dirs.has(a)) {
        dirs.add(a)
        newDirs.push(a)
      }
    }
  }
  newDirs.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1))

  const removed = new Set(remove.map((f) => f.path))
  const manifest: Manifest = {
    files: [...o.manifest.files.filter((f) => !removed.has(f.path)), ...add.map((f) => ({ path: f.path, size: f.size }))],
    dirs: [...dirs],
    others: o.manifest.others,
  }
  return { rewrite, remove, add, newDirs, rewriteSource, manifest }
}

/** '/a/b/c' → ['/a', '/a/b'] (the root excluded). */
function ancestors(p: string): string[] {
  const out: string[] = []
  for (let d = path.posix.dirname(p); d !== '/'; d = path.posix.dirname(d)) out.unshift(d)
  return out
}

/**
 * The bytes that replace rewritten blocks: the plan's rewrite sources read one after another,
 * then seeded bytes should they run out. Both apply paths draw from it in the same order.
 */
export class RewriteFeed {
  private next = 0
  private current: Buffer = Buffer.alloc(0)
  private offset = 0
  private readonly spare: SeededBytes

  constructor(private readonly sources: readonly HostFile[], seed: number) {
    this.spare = new SeededBytes(seed, 'rewrite-spare')
  }

  async take(length: number): Promise<Buffer> {
    const parts: Buffer[] = []
    let need = length
    while (need > 0) {
      if (this.offset >= this.current.length) {
        const src = this.sources[this.next++]
        if (!src) {
          parts.push(this.spare.take(need))
          break
        }
        this.current = await fsp.readFile(src.path)
        this.offset = 0
        continue
      }
      const n = Math.min(need, this.current.length - this.offset)
      parts.push(this.current.subarray(this.offset, this.offset + n))
      this.offset += n
      need -= n
    }
    return Buffer.concat(parts, length)
  }
}
