/**
 * The pack files of a store as the backend holds them now: each pack name with the stat of its
 * `.pack` and `.idx` (either may be missing: a pack without an index is debris of an interrupted
 * write; an index without its pack is damage). fsck, gc and count-objects start from this listing
 * rather than from an ObjectStore's loaded indexes, which may be stale or skip a corrupt index.
 */
import type { AbortOptions } from '../options.js'
import type { Backend, BackendStat } from '../store/backend.js'
import { indexKey, packKey } from '../objects/object-store.js'

export interface PackFiles {
  name: string
  pack?: BackendStat
  index?: BackendStat
}

const PACK_NAME = /^packs\/([0-9a-f]{64})\.(pack|idx)$/

/** Every pack name under packs/, sorted, with what exists of it. Other files there are ignored. */
export async function listPackFiles(backend: Backend, opts?: AbortOptions): Promise<PackFiles[]> {
  const names = new Set<string>()
  for await (const key of backend.list('packs/', opts)) {
    const m = PACK_NAME.exec(key)
    if (m) names.add(m[1]!)
  }
  const out: PackFiles[] = []
  for (const name of [...names].sort()) {
    const files: PackFiles = { name }
    const pack = await backend.stat(packKey(name), opts)
    const index = await backend.stat(indexKey(name), opts)
    if (pack) files.pack = pack
    if (index) files.index = index
    if (pack || index) out.push(files)
  }
  return out
}

/** The newest modification time of a pack's files: a pack is as young as its youngest file. */
export function packMtime(p: PackFiles): number {
  return Math.max(p.pack?.mtimeMs ?? 0, p.index?.mtimeMs ?? 0)
}
