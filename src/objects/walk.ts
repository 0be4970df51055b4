/**
 * Reachability: every object reachable from some roots, the one walk that fsck, gc, push and the
 * daemon's fetch and connectivity check share. Kind-specific descent lives here and only here.
 *
 * Metadata objects (commits, tags, trees, file nodes) are visited once. Chunks are yielded as found,
 * without a visited set (a 60 GB disk has ~1M of them), so a chunk used twice may be yielded twice;
 * callers that care deduplicate in batches.
 */
import type { AbortOptions } from '../options.js'
import { throwIfAborted } from '../errors.js'
import type { ObjectId, ObjectKind } from './id.js'
import type { ObjectSource } from './object-store.js'
import { decodeCommit } from './commit.js'
import { decodeTag } from './tag.js'
import { decodeVmTree } from './vm-tree.js'
import { decodeFileNode } from './file-tree.js'

export interface Reached {
  id: ObjectId
  kind: ObjectKind
  /** Raw size for chunks (known from the parent node), undefined for the rest. */
  length?: number
}

export interface WalkOptions extends AbortOptions {
  /** Objects not to enter, nor yield (e.g. commits the other side has). */
  stop?: (id: ObjectId) => boolean
  /** Follow commit parents (default true). False walks only the given commits' own trees. */
  history?: boolean
  /** Yield chunks (default true). False walks metadata only, reading no chunk. */
  chunks?: boolean
}

/** Walks depth-first from roots of known kinds; reads each metadata object once through src (verified). */
export async function* walkReachable(src: ObjectSource, roots: Array<{ id: ObjectId; kind: ObjectKind }>, o: WalkOptions = {}): AsyncIterable<Reached> {
  const seen = new Set<string>()
  const stack = [...roots].reverse()
  while (stack.length) {
    throwIfAborted(o.signal)
    const { id, kind } = stack.pop()!
    if (seen.has(id) || o.stop?.(id)) continue
    seen.add(id)
    yield { id, kind }
    if (kind === 'chunk') continue
    const { body } = await src.get(id, o)
    for (const child of children(kind, body, id).reverse()) {
      if (child.kind === 'chunk') {
        if (o.chunks !== false && !o.stop?.(child.id)) yield child
      } else if (child.kind !== 'commit' || o.history !== false || kind !== 'commit') stack.push(child)
    }
  }
}

/** The objects one object refers to, in order. */
export function children(kind: ObjectKind, body: Uint8Array, id: ObjectId): Reached[] {
  switch (kind) {
    case 'commit': {
      const c = decodeCommit(body, `commit ${id}`)
      return [{ id: c.tree, kind: 'vm' }, ...c.parents.map((p) => ({ id: p, kind: 'commit' as const }))]
    }
    case 'tag': {
      const t = decodeTag(body, `tag ${id}`)
      return [{ id: t.object, kind: t.type }]
    }
    case 'vm':
      return decodeVmTree(body, `vm tree ${id}`).entries.map((e) => ({ id: e.id, kind: e.type === 'dir' ? 'vm' : 'file' }))
    case 'file': {
      const n = decodeFileNode(body, `file tree ${id}`)
      const out: Reached[] = []
      for (const e of n.entries) {
        if (e.kind === 'chunk') out.push({ id: e.id, kind: 'chunk', length: e.length })
        else if (e.kind === 'node') out.push({ id: e.id, kind: 'file' })
      }
      return out
    }
    case 'chunk':
      return []
  }
}
