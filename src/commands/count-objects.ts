/**
 * `ankagit count-objects`: what the object store holds: objects by kind (each id once, however many
 * packs hold it), packs and their bytes, index bytes, and the debris of interrupted writes (packs
 * without an index, temp files) that gc removes once they are older than its grace period.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import { OBJECT_KINDS, type ObjectKind, idFromBytes } from '../objects/id.js'
import { listPackFiles } from '../maintenance/pack-files.js'
import { listDebris } from '../maintenance/debris.js'

export interface CountObjectsResult {
  /** Distinct objects. */
  objects: number
  byKind: Record<ObjectKind, number>
  /** Packs with an index. */
  packs: number
  packBytes: number
  indexBytes: number
  /** Raw (uncompressed) bytes of the distinct chunks. */
  chunkBytes: number
  unindexedPacks: number
  unindexedBytes: number
  tmpFiles: number
  tmpBytes: number
}

export async function countObjects(o: AbortOptions & { repo: Repository }): Promise<CountObjectsResult> {
  const store = o.repo.objects
  await store.refresh(o)
  const byKind = Object.fromEntries(OBJECT_KINDS.map((k) => [k, 0])) as Record<ObjectKind, number>
  const r: CountObjectsResult = { objects: 0, byKind, packs: 0, packBytes: 0, indexBytes: 0, chunkBytes: 0, unindexedPacks: 0, unindexedBytes: 0, tmpFiles: 0, tmpBytes: 0 }
  for (const f of await listPackFiles(store.backend, o)) {
    if (!f.index) {
      r.unindexedPacks++
      r.unindexedBytes += f.pack?.size ?? 0
      continue
    }
    r.packs++
    r.packBytes += f.pack?.size ?? 0
    r.indexBytes += f.index.size
    const index = store.packIndex(f.name)
    if (!index) continue // written after our refresh
    for (let i = 0; i < index.count; i++) {
      const e = index.entry(i)
      // An object held by several packs is counted in the one the store reads it from.
      if (store.locate(idFromBytes(e.id))?.pack !== f.name) continue
      r.objects++
      byKind[e.kind]++
      if (e.kind === 'chunk') r.chunkBytes += e.length
    }
  }
  for (const d of await listDebris(store.backend)) {
    r.tmpFiles++
    r.tmpBytes += d.bytes
  }
  return r
}
