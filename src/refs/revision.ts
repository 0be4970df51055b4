/**
 * Revisions, a subset of git rev-parse's grammar:
 *
 *   revision := base suffix*
 *   base     := 'HEAD' | '@' | full ref name | short ref name | 64-hex id | unique hex prefix (>= 4)
 *   suffix   := '^' digits? | '~' digits?       ('^' = '^1', '~' = '~1', '^0' = the commit itself)
 *
 * A short name is tried as git tries it: refs/<x>, refs/tags/<x>, refs/heads/<x>,
 * refs/remotes/<x>, refs/remotes/<x>/HEAD. Refs win over a hex prefix that spells the same
 * string. A bare base is returned unpeeled (a tag name gives the tag object); every suffix first
 * follows annotated tags to the commit. Object storage is reached only through RevisionContext.
 */
import { InvalidArgumentError, NotFoundError, throwIfAborted } from '../errors.js'
import { type ObjectId, isObjectId, shortId } from '../objects/id.js'
import type { AbortOptions } from '../options.js'
import { type RefName, isValidRefName, quoteRefName } from './ref-name.js'
import type { RefStore } from './ref-store.js'

export interface RevisionContext {
  refs: RefStore
  /** Full ids of stored objects whose hex starts with prefix (at least 4 hex digits). */
  expandPrefix(prefix: string, opts?: AbortOptions): Promise<ObjectId[]>
  /** Parents of a commit id (throws NotFoundError/InvalidArgumentError when not a commit). */
  parents(id: ObjectId, opts?: AbortOptions): Promise<ObjectId[]>
  /** Follows annotated tags to the object they point at (identity for non-tags). */
  peel(id: ObjectId, opts?: AbortOptions): Promise<ObjectId>
}

export const MIN_PREFIX_DIGITS = 4

interface Step {
  op: '^' | '~'
  n: number
}

export async function resolveRevision(ctx: RevisionContext, rev: string, opts?: AbortOptions): Promise<ObjectId> {
  throwIfAborted(opts?.signal)
  if (typeof rev !== 'string' || rev === '') throw new InvalidArgumentError('empty revision')
  const cut = rev.search(/[\^~]/)
  const base = cut < 0 ? rev : rev.slice(0, cut)
  if (base === '') throw new InvalidArgumentError(`invalid revision ${quoteRefName(rev)}: no name before '${rev[0]}'`, { rev })
  const steps = parseSuffixes(rev, cut < 0 ? '' : rev.slice(cut))
  let id = await resolveBase(ctx, rev, base, opts)
  for (const step of steps) {
    throwIfAborted(opts?.signal)
    id = await ctx.peel(id, opts)
    if (step.op === '^') {
      const parents = await ctx.parents(id, opts) // also proves id is a commit, which '^0' asks
      if (step.n === 0) continue
      const parent = parents[step.n - 1]
      if (parent === undefined) throw unknown(rev, `commit ${shortId(id)} has ${countParents(parents.length)}`)
      id = parent
    } else {
      for (let i = 0; i < step.n; i++) {
        throwIfAborted(opts?.signal)
        const first = (await ctx.parents(id, opts))[0]
        if (first === undefined) throw unknown(rev, `commit ${shortId(id)} has no parent`)
        id = first
      }
    }
  }
  return id
}

function parseSuffixes(rev: string, suffix: string): Step[] {
  if (!/^([\^~]\d*)*$/.test(suffix)) {
    throw new InvalidArgumentError(`invalid revision ${quoteRefName(rev)}: unsupported suffix ${quoteRefName(suffix)}`, { rev })
  }
  return [...suffix.matchAll(/([\^~])(\d*)/g)].map((m) => ({ op: m[1] as '^' | '~', n: m[2] === '' ? 1 : Number(m[2]) }))
}

/** The ref names a short name may mean, in the order git tries them. */
export function refCandidates(name: string): RefName[] {
  const all = [
    ...(name.startsWith('refs/') ? [name] : []),
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  ]
  return all.filter(isValidRefName)
}

async function resolveBase(ctx: RevisionContext, rev: string, base: string, opts?: AbortOptions): Promise<ObjectId> {
  if (base === 'HEAD' || base === '@') {
    const head = await ctx.refs.read('HEAD' as RefName, opts)
    if (head === undefined) throw unknown(rev, 'HEAD names a branch with no commit yet')
    return head
  }
  const lower = base.toLowerCase()
  if (/^[0-9a-f]{64}$/.test(lower) && isObjectId(lower)) return lower
  for (const name of refCandidates(base)) {
    const id = await ctx.refs.read(name, opts)
    if (id !== undefined) return id
  }
  if (/^[0-9a-f]+$/.test(lower) && lower.length >= MIN_PREFIX_DIGITS && lower.length < 64) {
    const found = [...new Set(await ctx.expandPrefix(lower, opts))].sort()
    if (found.length === 1) return found[0]!
    if (found.length > 1) {
      const shown = found.slice(0, 10).map((id) => shortId(id)).join(', ')
      throw new InvalidArgumentError(`short object id '${base}' is ambiguous: ${shown}${found.length > 10 ? ', ...' : ''}`, {
        rev,
        candidates: found,
      })
    }
  }
  throw unknown(rev)
}

function unknown(rev: string, why?: string): NotFoundError {
  return new NotFoundError(`unknown revision ${quoteRefName(rev)}${why ? `: ${why}` : ''}`, { rev })
}

function countParents(n: number): string {
  return n === 0 ? 'no parent' : n === 1 ? '1 parent' : `${n} parents`
}
