/**
 * `ankagit show-ref`: the refs of a repository with the ids they hold, sorted by name, optionally
 * only branches and/or tags, only names matching patterns (git's rule: the whole name, or its
 * tail after a '/'), with HEAD first, or with annotated tags' targets.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { parseRefName } from '../refs/ref-name.js'
import { peel } from '../objects/read.js'

export interface ShowRefOptions extends AbortOptions {
  repo: Repository
  /** Only refs/heads/ (with tags: refs/heads/ and refs/tags/). */
  heads?: boolean
  /** Only refs/tags/. */
  tags?: boolean
  /** Keep refs whose name equals a pattern or ends with '/' + pattern. */
  patterns?: readonly string[]
  /** List HEAD first (when it resolves to a commit). */
  head?: boolean
  /** Add `peeled` to annotated tags: the object the tag chain ends at. */
  dereference?: boolean
}

export interface ShownRef {
  name: string
  id: ObjectId
  /** With dereference, for refs holding an annotated tag. */
  peeled?: ObjectId
}

export async function showRef(o: ShowRefOptions): Promise<ShownRef[]> {
  const { repo } = o
  const prefixes = [...(o.heads ? ['refs/heads/'] : []), ...(o.tags ? ['refs/tags/'] : [])]
  const out: ShownRef[] = []
  if (o.head) {
    const id = await repo.refs.read(parseRefName('HEAD'), o)
    if (id !== undefined) out.push({ name: 'HEAD', id })
  }
  for await (const [name, id] of repo.refs.list('', o)) {
    if (prefixes.length && !prefixes.some((p) => name.startsWith(p))) continue
    if (o.patterns?.length && !o.patterns.some((p) => matchesRefPattern(name, p))) continue
    out.push({ name, id })
  }
  if (o.dereference) {
    await repo.objects.load(o)
    for (const r of out) {
      if (repo.objects.locate(r.id)?.entry.kind !== 'tag') continue
      r.peeled = (await peel(repo.objects, r.id, o)).id
    }
  }
  return out
}

/** git show-ref's pattern rule: 'main' matches refs/heads/main and refs/remotes/origin/main, not 'domain'. */
export function matchesRefPattern(name: string, pattern: string): boolean {
  return name === pattern || name.endsWith('/' + pattern.replace(/^\/+/, ''))
}
