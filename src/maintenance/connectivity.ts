/**
 * fsck's reachability check: walks from every root through commits, tags, vm trees and file trees
 * to chunks, like walkReachable (src/objects/walk.ts, whose children() it shares), but it does not
 * stop at the first problem: a missing, corrupt or wrongly sized object is reported once, naming the
 * root it is reachable from, and the walk goes on elsewhere. Chunks are checked in the index only
 * (pack verification has hashed every stored byte already), so no chunk is read.
 * Memory: the set of metadata ids visited plus the walk's stack; chunk ids are not remembered
 * except those already reported.
 */
import type { AbortOptions } from '../options.js'
import { AnkagitError, throwIfAborted } from '../errors.js'
import type { ObjectId, ObjectKind } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import { children } from '../objects/walk.js'
import type { Root } from './roots.js'

export interface ConnectivityProblem {
  kind: 'missing-object' | 'corrupt-object'
  /** Absent only on the closing "and N more" line. */
  id?: ObjectId
  /** The root it is reachable from. */
  from: string
  message: string
}

export interface ConnectivityReport {
  problems: ConnectivityProblem[]
  /** Metadata objects read and verified. */
  metadataObjects: number
  /** Chunk references checked (a chunk used twice counts twice). */
  chunkRefs: number
}

export interface KnownDamage {
  /** Objects that pack verification found unreadable. */
  badIds: ReadonlySet<string>
  /** Packs whose file is missing or whose index is unreadable. */
  badPacks: ReadonlySet<string>
}

/** Problems listed one by one; a lost pack of a large store would otherwise print a line per chunk. */
const MAX_LISTED = 100

interface Item {
  id: ObjectId
  kind: ObjectKind
  from: string
  length?: number
}

export async function checkConnectivity(
  store: ObjectStore,
  roots: readonly Root[],
  damage: KnownDamage,
  o: AbortOptions & { onObjects?: (n: number) => void } = {},
): Promise<ConnectivityReport> {
  const report: ConnectivityReport = { problems: [], metadataObjects: 0, chunkRefs: 0 }
  const reported = new Set<string>()
  const seen = new Set<string>()
  let unlisted = 0
  const problem = (kind: ConnectivityProblem['kind'], item: Item, why: string) => {
    if (reported.has(item.id)) return
    reported.add(item.id)
    if (report.problems.length >= MAX_LISTED) unlisted++
    else report.problems.push({ kind, id: item.id, from: item.from, message: `${why} (reachable from ${item.from})` })
  }
  /** Why the object cannot be used, judged from the index alone, or undefined when it looks fine. */
  const unusable = (item: Item): [ConnectivityProblem['kind'], string] | undefined => {
    const loc = store.locate(item.id)
    if (!loc) return ['missing-object', `${item.kind} ${item.id} is missing`]
    if (damage.badPacks.has(loc.pack)) return ['missing-object', `${item.kind} ${item.id} is in damaged pack ${loc.pack}`]
    if (damage.badIds.has(item.id)) return ['corrupt-object', `${item.kind} ${item.id} is corrupt`]
    if (loc.entry.kind !== item.kind) return ['corrupt-object', `object ${item.id} is a ${loc.entry.kind}, expected a ${item.kind}`]
    if (item.length !== undefined && loc.entry.length !== item.length) {
      return ['corrupt-object', `chunk ${item.id} holds ${loc.entry.length} bytes, its file tree says ${item.length}`]
    }
    return undefined
  }
  const present = (item: Item): boolean => {
    const why = unusable(item)
    if (why) problem(why[0], item, why[1])
    return why === undefined
  }

  const stack: Item[] = []
  const located: Item[] = []
  for (const root of roots) {
    const kind = store.locate(root.id)?.entry.kind
    if (kind) located.push({ id: root.id, kind, from: root.from })
    else problem('missing-object', { id: root.id, kind: 'commit', from: root.from }, `object ${root.id} is missing`)
  }
  stack.push(...located.reverse()) // the first root is walked first, so it is the one problems name
  while (stack.length) {
    throwIfAborted(o.signal)
    const item = stack.pop()!
    if (seen.has(item.id)) continue
    seen.add(item.id)
    if (!present(item)) continue
    let next
    try {
      const { body } = await store.get(item.id, o)
      next = children(item.kind, body, item.id)
    } catch (err) {
      if (!(err instanceof AnkagitError) || (err.code !== 'ECORRUPT' && err.code !== 'ENOTFOUND')) throw err
      problem(err.code === 'ENOTFOUND' ? 'missing-object' : 'corrupt-object', item, err.message)
      continue
    }
    report.metadataObjects++
    o.onObjects?.(report.metadataObjects + report.chunkRefs)
    for (const child of next.reverse()) {
      const c: Item = { ...child, from: item.from }
      if (child.kind !== 'chunk') stack.push(c)
      else {
        report.chunkRefs++
        present(c)
      }
    }
  }
  if (unlisted) {
    const last = report.problems[report.problems.length - 1]!
    report.problems.push({ kind: last.kind, from: last.from, message: `and ${unlisted} more missing or corrupt objects, not listed` })
  }
  return report
}
