/**
 * Negotiation at the commit level (git fetch-negotiator.h, skipping negotiator): which commits to
 * offer as "haves" so the server can leave out history the client already holds. One round trip is
 * the goal, so the sample is taken up front: commits known to be common first (advertised ids the
 * client holds), then every tip, then ancestors at distances 1, 2, 4, 8, ... along first parents,
 * tips taking turns, so a client whose history has diverged from the server's by k commits offers a
 * common commit within about 2k of each tip. Ancestors of a common commit are never offered.
 */
import type { AbortOptions } from '../options.js'
import { NotFoundError } from '../errors.js'
import type { ObjectId } from '../objects/id.js'
import type { ObjectSource } from '../objects/object-store.js'
import { decodeCommit } from '../objects/commit.js'
import { decodeTag } from '../objects/tag.js'

export interface Negotiator {
  /** A commit (or tag) the client holds with everything reachable from it: a local ref's value. */
  addTip(id: ObjectId): void
  /** A commit known to be on both sides; offered first, and its ancestors are never offered. */
  knownCommon(id: ObjectId): void
  /** The next have to offer, or undefined when the sample is exhausted. */
  next(opts?: AbortOptions): Promise<ObjectId | undefined>
  /** The server holds id: stop offering its ancestors. */
  ack(id: ObjectId): void
}

/** Haves at most per negotiation (PROTOCOL.md § 6.1). */
export const HAVES_SENT_MAX = 256
/** Commits read at most while sampling, so a long history costs a bounded walk. */
const WALK_MAX = 8192

interface Chain {
  id: ObjectId
  distance: number
  /** Distance of the next commit of this chain to offer. */
  offerAt: number
}

export class SkippingNegotiator implements Negotiator {
  private readonly common = new Set<string>()
  private readonly commonQueue: ObjectId[] = []
  private readonly chains: Chain[] = []
  private readonly visited = new Set<string>()
  private readonly offered = new Set<string>()
  private walked = 0

  constructor(private readonly src: ObjectSource) {}

  addTip(id: ObjectId): void {
    this.chains.push({ id, distance: 0, offerAt: 0 })
  }

  knownCommon(id: ObjectId): void {
    this.common.add(id)
    this.commonQueue.push(id)
  }

  ack(id: ObjectId): void {
    this.common.add(id)
  }

  async next(opts?: AbortOptions): Promise<ObjectId | undefined> {
    while (this.commonQueue.length) {
      const id = this.commonQueue.shift()!
      if (this.offer(id)) return id
    }
    while (this.chains.length && this.walked < WALK_MAX) {
      const chain = this.chains.shift()!
      if (this.common.has(chain.id) || this.visited.has(chain.id)) continue
      this.visited.add(chain.id)
      this.walked++
      const commit = await this.commitOf(chain.id, opts)
      if (!commit) continue
      const due = chain.distance === chain.offerAt
      const offerAt = due ? Math.max(1, chain.offerAt * 2) : chain.offerAt
      const parent = commit.parents[0]
      if (parent) this.chains.push({ id: parent, distance: chain.distance + 1, offerAt })
      if (due && this.offer(commit.id)) return commit.id
    }
    return undefined
  }

  private offer(id: ObjectId): boolean {
    if (this.offered.has(id)) return false
    this.offered.add(id)
    return true
  }

  /** The commit id names, following annotated tags; undefined for other kinds or absent objects. */
  private async commitOf(id: ObjectId, opts?: AbortOptions): Promise<{ id: ObjectId; parents: ObjectId[] } | undefined> {
    for (let depth = 0; depth < 8; depth++) {
      let obj
      try {
        obj = await this.src.get(id, opts)
      } catch (err) {
        if (err instanceof NotFoundError) return undefined
        throw err
      }
      if (obj.kind === 'commit') return { id, parents: decodeCommit(obj.body, `commit ${id}`).parents }
      if (obj.kind !== 'tag') return undefined
      id = decodeTag(obj.body, `tag ${id}`).object
    }
    return undefined
  }
}

/** Drains up to max haves from a negotiator. */
export async function collectHaves(n: Negotiator, max = HAVES_SENT_MAX, opts?: AbortOptions): Promise<ObjectId[]> {
  const out: ObjectId[] = []
  while (out.length < max) {
    const id = await n.next(opts)
    if (id === undefined) break
    out.push(id)
  }
  return out
}
