/**
 * Seeded choices of files under a byte budget: single files from anywhere, or whole folders the
 * way packages are installed and removed. Both take items in their seeded order and skip any
 * that would overshoot the budget, so the total lands just under it.
 *
 * The order is a hash of seed, label and path rather than a shuffle of the whole list: a
 * package installed on the host then only moves the picks if its own paths sort in before the
 * budget runs out. With a shuffle, one new folder anywhere reordered every pick.
 */
import { createHash } from 'node:crypto'
import * as path from 'node:path'

export interface Sized {
  path: string
  size: number
}

export interface PickOptions {
  bytes: number
  seed: number
  /** Names the decision, so that two picks with one seed are independent. */
  label: string
  exclude?: ReadonlySet<string>
}

export const MAX_PER_FOLDER = 1000

/** Single files in seeded order. */
export function pickFiles<T extends Sized>(files: readonly T[], o: PickOptions): T[] {
  const kept = files.filter((f) => !o.exclude?.has(f.path))
  return takeUpTo(seededOrder(kept, (f) => f.path, o.seed, o.label), o.bytes)
}

/**
 * Whole folders in seeded order, each folder's files in path order, at most MAX_PER_FOLDER of
 * each: mkfs -d and debugfs insert into a folder in time linear in its size, and the host's
 * 17.5k-file /usr/share/man/man1 alone made mkfs take 35 s instead of 3 s.
 */
export function pickByFolder<T extends Sized>(files: readonly T[], o: PickOptions): T[] {
  const folders = new Map<string, T[]>()
  for (const f of files) {
    if (o.exclude?.has(f.path)) continue
    const d = path.posix.dirname(f.path)
    let list = folders.get(d)
    if (!list) folders.set(d, (list = []))
    list.push(f)
  }
  const keys = seededOrder([...folders.keys()], (k) => k, o.seed, o.label)
  return takeUpTo(keys.flatMap((k) => folders.get(k)!.slice(0, MAX_PER_FOLDER)), o.bytes)
}

/** Items sorted by a seeded hash of their key: a permutation that does not depend on which other items exist. */
export function seededOrder<T>(items: readonly T[], key: (item: T) => string, seed: number, label: string): T[] {
  const prefix = `${seed}:${label}:`
  const keyed = items.map((item) => ({ item, k: createHash('sha1').update(prefix + key(item)).digest('hex') }))
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
  return keyed.map((e) => e.item)
}

/** Takes items in order while they fit under the budget. */
export function takeUpTo<T extends { size: number }>(items: readonly T[], budget: number): T[] {
  const out: T[] = []
  let total = 0
  for (const f of items) {
    if (total >= budget) break
    if (total + f.size > budget) continue
    out.push(f)
    total += f.size
  }
  return out
}
