/**
 * Read isolation between repositories that share one object store (PROTOCOL.md § 8): with an auth
 * file, a `chunks` request may name only chunks reachable from the requested repository's refs, so a
 * client allowed to read repository A cannot fetch chunks only repository B holds, even knowing their
 * ids. The set of a repository's reachable chunks is built once per set of ref values (a walk of its
 * commits and file trees, metadata only) and kept for the few repositories read most recently.
 */
import type { AbortOptions } from '../options.js'
import { idToBytes } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import { walkReachable } from '../objects/walk.js'
import type { RefStore } from '../refs/ref-store.js'
import { IdList } from './id-list.js'

/** Repositories whose chunk sets are kept (32 bytes and ~8 of slots per chunk: ~40 MB for a 60 GB VM). */
const KEPT = 4

export interface Reachable {
  chunks: IdList
  /** Commit and tag ids of the repository's history. */
  history: Set<string>
}

export class ReachableChunks {
  private readonly kept = new Map<string, { key: string; ids: Promise<Reachable> }>()

  constructor(private readonly store: ObjectStore) {}

  /** The chunks, commits and tags reachable from the refs of `repo` now. */
  async of(repo: string, refs: RefStore, opts: AbortOptions = {}): Promise<Reachable> {
    const tips: string[] = []
    for await (const [, id] of refs.list('refs/', opts)) tips.push(id)
    const key = [...new Set(tips)].sort().join(',')
    const hit = this.kept.get(repo)
    if (hit && hit.key === key) {
      this.kept.delete(repo)
      this.kept.set(repo, hit)
      return hit.ids
    }
    const ids = this.build(tips, opts)
    ids.catch(() => this.kept.get(repo)?.ids === ids && this.kept.delete(repo))
    this.kept.set(repo, { key, ids })
    while (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!)
    return ids
  }

  private async build(tips: string[], opts: AbortOptions): Promise<Reachable> {
    await this.store.load(opts)
    const roots = []
    for (const id of new Set(tips)) {
      const kind = this.store.locate(id as never)?.entry.kind ?? (await this.store.get(id as never, opts)).kind
      roots.push({ id: id as never, kind })
    }
    const out: Reachable = { chunks: new IdList(), history: new Set() }
    for await (const r of walkReachable(this.store, roots, { signal: opts.signal })) {
      if (r.kind === 'chunk') out.chunks.add(idToBytes(r.id))
      else if (r.kind === 'commit' || r.kind === 'tag') out.history.add(r.id)
    }
    return out
  }
}
