/**
 * `ankagit fsck`: verifies the object store and the repository's refs. Every pack is read once and
 * checked whole (src/maintenance/verify-pack.ts: name = BLAKE3 of its bytes, index checksum, every
 * frame and object), one pack at a time; then everything reachable from the refs, HEAD and every
 * reflog entry is walked (src/maintenance/connectivity.ts), reporting each missing or corrupt object
 * with the ref it is reachable from. Problems are returned, one line of text each, never thrown, so
 * the caller sees all of them; `ok` is false when there is any.
 *
 * Not problems, only notices: a pack without an index and temp files in tmp/, which is what a crash
 * or kill -9 in the middle of a write leaves behind (gc removes them).
 */
import type { ProgressOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import type { CorruptObjectError } from '../errors.js'
import { listPackFiles } from '../maintenance/pack-files.js'
import { verifyPack } from '../maintenance/verify-pack.js'
import { checkConnectivity } from '../maintenance/connectivity.js'
import { type Root, collectRoots } from '../maintenance/roots.js'
import type { ObjectStore } from '../objects/object-store.js'
import type { Registry } from '../transport/registry.js'
import { listDebris } from '../maintenance/debris.js'

export type FsckProblemKind = 'corrupt-index' | 'missing-pack' | 'corrupt-pack' | 'corrupt-object' | 'missing-object'

export interface FsckProblem {
  kind: FsckProblemKind
  /** One line, lowercase, naming the pack, object and root concerned. */
  message: string
  pack?: string
  id?: ObjectId
  /** For reachability problems: the ref (or reflog entry) the object is reachable from. */
  from?: string
}

export interface FsckResult {
  ok: boolean
  problems: FsckProblem[]
  /** Debris of interrupted writes: not corruption. */
  notices: string[]
  packs: number
  packBytes: number
  /** Objects listed by the pack indexes that could be read. */
  objects: number
  roots: number
  metadataObjects: number
  chunkRefs: number
}

export async function fsck(o: ProgressOptions & { repo: Repository }): Promise<FsckResult> {
  return fsckStore({ ...o, store: o.repo.objects, roots: () => collectRoots(o.repo.refs, o) })
}

/** fsck of a daemon's registry: its store, and everything each repository's refs and reflogs reach. */
export async function fsckRegistry(o: ProgressOptions & { registry: Registry }): Promise<FsckResult & { repositories: string[] }> {
  const repositories = await o.registry.list(o)
  const roots = async () => {
    const out: Root[] = []
    for (const name of repositories) {
      const refs = await o.registry.open(name, o)
      if (refs) out.push(...(await collectRoots(refs, { ...o, label: name })))
    }
    return out
  }
  return { ...(await fsckStore({ ...o, store: o.registry.objects, roots })), repositories }
}

async function fsckStore(o: ProgressOptions & { store: ObjectStore; roots: () => Promise<Root[]> }): Promise<FsckResult> {
  const backend = o.store.backend
  const problems: FsckProblem[] = []
  const notices: string[] = []
  const badIds = new Set<string>()
  const badPacks = new Set<string>()

  const files = await listPackFiles(backend, o)
  const indexed = files.filter((f) => f.index)
  const total = indexed.reduce((a, f) => a + (f.pack?.size ?? 0), 0)
  let done = 0
  let objects = 0
  for (const f of files) {
    if (!f.index) {
      notices.push(`pack ${f.name} has no index (left by an interrupted write; gc removes it)`)
      continue
    }
    const check = await verifyPack(backend, f.name, {
      signal: o.signal,
      onBytes: (n) => o.onProgress?.({ phase: 'checking packs', done: (done += n), total, unit: 'bytes' }),
    })
    problems.push(...check.problems)
    for (const id of check.badIds) badIds.add(id)
    if (check.problems.some((p) => p.kind === 'missing-pack' || p.kind === 'corrupt-index')) badPacks.add(f.name)
    objects += check.index?.count ?? 0
  }
  for (const d of await listDebris(backend)) notices.push(`temp file tmp/${d.name} (${d.bytes} bytes) left by an interrupted write; gc removes it`)

  // The store's own view of the packs, leaving out (not throwing on) indexes already reported corrupt.
  await o.store.refresh({ signal: o.signal, onCorruptIndex: (name: string, _err: CorruptObjectError) => badPacks.add(name) })
  const roots = await o.roots()
  const reach = await checkConnectivity(o.store, roots, { badIds, badPacks }, {
    signal: o.signal,
    onObjects: (n) => o.onProgress?.({ phase: 'checking connectivity', done: n, unit: 'objects' }),
  })
  for (const p of reach.problems) problems.push({ kind: p.kind, message: p.message, from: p.from, ...(p.id ? { id: p.id } : {}) })
  return {
    ok: problems.length === 0,
    problems,
    notices,
    packs: indexed.length,
    packBytes: total,
    objects,
    roots: roots.length,
    metadataObjects: reach.metadataObjects,
    chunkRefs: reach.chunkRefs,
  }
}
