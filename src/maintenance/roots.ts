/**
 * The roots that keep objects alive, git's way: every ref, HEAD, and every id any reflog entry
 * recorded (old and new side), so a commit that a branch held yesterday is not lost to gc, and fsck
 * checks what `main@{1}` would need. Each root says where it came from, for messages.
 */
import type { AbortOptions } from '../options.js'
import type { ObjectId } from '../objects/id.js'
import type { RefStore } from '../refs/ref-store.js'
import { type RefName, parseRefName } from '../refs/ref-name.js'

export interface Root {
  id: ObjectId
  /** "refs/heads/main", "HEAD", "refs/tags/v1@{2}", prefixed with "<label>: " when a label is given. */
  from: string
}

/** Roots of one ref store, refs first, then HEAD, then reflog entries; each id once (first source wins). */
export async function collectRoots(refs: RefStore, opts: AbortOptions & { label?: string; reflogSince?: number } = {}): Promise<Root[]> {
  const out: Root[] = []
  const seen = new Set<string>()
  const add = (id: ObjectId | null | undefined, from: string) => {
    if (!id || seen.has(id)) return
    seen.add(id)
    out.push({ id, from: opts.label ? `${opts.label}: ${from}` : from })
  }
  const names: Array<RefName | 'HEAD'> = []
  for await (const [name, id] of refs.list('', opts)) {
    add(id, name)
    names.push(name)
  }
  add(await refs.read(parseRefName('HEAD'), opts), 'HEAD')
  for (const name of ['HEAD' as const, ...names]) {
    const entries = await refs.reflog(name, opts)
    entries.forEach((e, n) => {
      if (opts.reflogSince !== undefined && e.time < opts.reflogSince) return // expired by gc
      add(e.next, `${name}@{${n}}`)
      add(e.old, `${name}@{${n + 1}}`)
    })
  }
  return out
}
