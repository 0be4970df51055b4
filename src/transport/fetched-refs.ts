/**
 * The last step of a fetch: moving local refs to what the remote advertised, git's rules: a ref
 * that does not exist is created; a forced refspec ('+') may move anywhere; otherwise only a
 * fast-forward, and an existing tag never moves. All accepted changes are one compare-and-swap
 * transaction from the values read here, so a concurrent local change is a RefConflictError.
 */
import type { AbortOptions } from '../options.js'
import type { ObjectId, ObjectKind } from '../objects/id.js'
import type { ObjectSource, RawObject } from '../objects/object-store.js'
import type { RefName } from '../refs/ref-name.js'
import type { RefUpdate } from '../refs/ref-store.js'
import type { Repository } from '../repository.js'
import { isAncestor } from '../objects/ancestry.js'

export interface RefChange {
  /** The remote's ref name. */
  remote: RefName
  /** The local ref it maps to. */
  local: RefName
  old: ObjectId | null
  new: ObjectId
  status: 'new' | 'updated' | 'forced' | 'up-to-date' | 'rejected'
  reason?: 'non-fast-forward' | 'tag exists'
}

export async function updateFetchedRefs(
  repo: Pick<Repository, 'objects' | 'refs'>,
  mappings: ReadonlyArray<{ remote: RefName; local: RefName; id: ObjectId; force: boolean }>,
  received: ReadonlyMap<string, { kind: ObjectKind; body: Buffer }>,
  dryRun: boolean,
  opts: AbortOptions,
): Promise<RefChange[]> {
  // On a dry run the received metadata is not stored; fast-forward checks read it from memory.
  const src: ObjectSource = {
    has: async (id) => received.has(id) || repo.objects.has(id, opts),
    get: async (id) => {
      const r = received.get(id)
      return r ? ({ kind: r.kind, body: r.body } as RawObject) : repo.objects.get(id, opts)
    },
  }
  const changes: RefChange[] = []
  const updates: RefUpdate[] = []
  const seen = new Set<string>()
  for (const m of mappings) {
    if (seen.has(m.local)) continue
    seen.add(m.local)
    const old = (await repo.refs.read(m.local, opts)) ?? null
    const change: RefChange = { remote: m.remote, local: m.local, old, new: m.id, status: 'new' }
    if (old === m.id) change.status = 'up-to-date'
    else if (old !== null) {
      const ff = await isAncestor(src, old, m.id, opts)
      if (ff && !m.local.startsWith('refs/tags/')) change.status = 'updated'
      else if (m.force) change.status = 'forced'
      else {
        change.status = 'rejected'
        change.reason = m.local.startsWith('refs/tags/') ? 'tag exists' : 'non-fast-forward'
      }
    }
    changes.push(change)
    if (change.status !== 'up-to-date' && change.status !== 'rejected') {
      updates.push({ name: m.local, next: m.id, expect: old, message: `fetch: ${change.status === 'new' ? 'storing' : change.status} ${m.remote}` })
    }
  }
  if (updates.length && !dryRun) await repo.refs.update(updates, opts)
  return changes
}
