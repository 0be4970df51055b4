/**
 * Revisions for commands: the rev-parse grammar of src/refs/revision.ts bound to a repository's refs
 * and object store.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { type RevisionContext, resolveRevision } from '../refs/revision.js'
import { peel, peelToCommit, readCommit } from '../objects/read.js'

export function revisionContext(repo: Repository): RevisionContext {
  return {
    refs: repo.refs,
    expandPrefix: (prefix, opts) => repo.objects.expandPrefix(prefix, opts),
    parents: async (id, opts) => (await readCommit(repo.objects, id, opts)).parents,
    peel: async (id, opts) => (await peel(repo.objects, id, opts)).id,
  }
}

export async function resolve(repo: Repository, rev: string, opts?: AbortOptions): Promise<ObjectId> {
  return resolveRevision(revisionContext(repo), rev, opts)
}

/** A revision that must name a commit (annotated tags are followed). */
export async function resolveCommitish(repo: Repository, rev: string, opts?: AbortOptions): Promise<ObjectId> {
  return peelToCommit(repo.objects, await resolve(repo, rev, opts), opts)
}
