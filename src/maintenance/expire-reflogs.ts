/**
 * git's `reflog expire`, run by gc before it collects roots: reflog entries older than the cutoff
 * stop keeping objects alive and are removed, so deleting a branch or rewinding HEAD frees space
 * once the entries that remember the old commits have aged out. Refs themselves stay roots.
 */
import type { AbortOptions } from '../options.js'
import type { RefStore } from '../refs/ref-store.js'
import type { RefName } from '../refs/ref-name.js'

/** Reflog entries are kept this long by default (git keeps unreachable ones 30 days too). */
export const REFLOG_EXPIRE_DAYS_DEFAULT = 30

/** Drops entries recorded before `before` (ms) from HEAD's and every ref's reflog; returns the count dropped. */
export async function expireReflogs(refs: RefStore, before: number, opts: AbortOptions & { dryRun?: boolean } = {}): Promise<number> {
  const names: Array<RefName | 'HEAD'> = ['HEAD']
  for await (const [name] of refs.list('', opts)) names.push(name)
  let dropped = 0
  for (const name of names) {
    if (opts.dryRun) dropped += (await refs.reflog(name, opts)).filter((e) => e.time < before).length
    else dropped += await refs.expireReflog(name, before, opts)
  }
  return dropped
}
