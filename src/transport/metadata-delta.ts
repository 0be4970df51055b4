/**
 * The metadata one side must send the other (PROTOCOL.md § 6.1): annotated tags, commits, vm trees
 * and file tree nodes reachable from the wants and not from the haves. The server runs it to answer
 * a negotiation; the client runs it to find what a push must offer.
 *
 * Commits: everything reachable from the wants, minus all ancestors of the haves. Trees: compared
 * against the trees of the boundary commits (the parents of the commits sent that the other side
 * has), vm trees first, then file trees level by level from the top: a node whose id the have side
 * also holds at that level is skipped with its whole subtree, and the have side is only expanded while
 * want-side nodes remain below. An in-place change of a few chunks of a 100 GB disk thus reads and
 * sends the changed leaves and their paths to the root, nothing more. The result may hold an object
 * the other side has (a subtree moved under a new parent), never fewer than it needs.
 */
import type { AbortOptions } from '../options.js'
import { CorruptObjectError, NotFoundError, throwIfAborted } from '../errors.js'
import type { ObjectId, ObjectKind } from '../objects/id.js'
import type { ObjectSource } from '../objects/object-store.js'
import { decodeCommit } from '../objects/commit.js'
import { decodeTag } from '../objects/tag.js'
import { decodeVmTree } from '../objects/vm-tree.js'
import { decodeFileNode } from '../objects/file-tree.js'

export interface DeltaObject {
  id: ObjectId
  kind: ObjectKind
  body: Buffer
}

/** Boundary trees compared at most; more would cost reads for little gain. */
const BOUNDARY_TREES_MAX = 32

/** Yields the metadata objects (verified, with their bodies) reachable from wants and not from haves.
 *  Every have must be held by src with everything reachable from it. */
export async function* metadataDelta(src: ObjectSource, wants: readonly ObjectId[], haves: readonly ObjectId[], opts: AbortOptions = {}): AsyncIterable<DeltaObject> {
  const read = (id: ObjectId) => src.get(id, opts)
  const haveCommits = await peelToCommits(src, haves, opts)
  const excluded = await ancestors(src, haveCommits, opts)

  const wantTrees: ObjectId[] = []
  const wantFiles: ObjectId[] = []
  const boundary = new Set<ObjectId>()
  const seen = new Set<string>()
  const stack = [...wants].reverse()
  while (stack.length) {
    throwIfAborted(opts.signal)
    const id = stack.pop()!
    if (seen.has(id) || excluded.has(id)) continue
    seen.add(id)
    const { kind, body } = await read(id)
    if (kind === 'tag') stack.push(decodeTag(body, `tag ${id}`).object)
    else if (kind === 'commit') {
      const c = decodeCommit(body, `commit ${id}`)
      wantTrees.push(c.tree)
      for (const p of [...c.parents].reverse()) {
        if (excluded.has(p)) boundary.add(p)
        else stack.push(p)
      }
    } else if (kind === 'vm') wantTrees.push(id)
    else if (kind === 'file') wantFiles.push(id)
    if (kind !== 'vm' && kind !== 'file' && kind !== 'chunk') yield { id, kind, body }
  }

  const haveTreeCommits = (boundary.size ? [...boundary] : haveCommits).slice(0, BOUNDARY_TREES_MAX)
  const haveTrees: ObjectId[] = []
  for (const id of haveTreeCommits) haveTrees.push(decodeCommit((await read(id)).body, `commit ${id}`).tree)
  const haveVm = new Set<string>()
  const haveFiles = new Set<ObjectId>()
  await walkVmTrees(src, haveTrees, haveVm, (id) => haveFiles.add(id), opts, true)

  const vmOut: DeltaObject[] = []
  await walkVmTrees(src, wantTrees, new Set(haveVm), (id) => wantFiles.push(id), opts, false, vmOut)
  yield* vmOut

  yield* fileNodeDelta(src, wantFiles.filter((id) => !haveFiles.has(id)), [...haveFiles], opts)
}

/** File tree nodes reachable from wantRoots and not from haveRoots, compared level by level. */
async function* fileNodeDelta(src: ObjectSource, wantRoots: ObjectId[], haveRoots: ObjectId[], opts: AbortOptions): AsyncIterable<DeltaObject> {
  const want = new Levels()
  const have = new Levels()
  const bodies = new Map<string, Buffer>()
  for (const id of new Set(wantRoots)) {
    const body = (await src.get(id, opts)).body
    bodies.set(id, body)
    want.add(decodeFileNode(body, `file tree ${id}`).level, id)
  }
  if (want.empty()) return
  for (const id of new Set(haveRoots)) {
    const body = await getIfPresent(src, id, opts)
    if (body) have.add(decodeFileNode(body, `file tree ${id}`).level, id)
  }
  const sent = new Set<string>()
  for (let level = Math.max(want.top(), have.top()); level >= 0; level--) {
    const w = want.at(level)
    const h = have.at(level)
    for (const id of w) {
      throwIfAborted(opts.signal)
      if (h.has(id) || sent.has(id)) continue
      sent.add(id)
      const body = bodies.get(id) ?? (await src.get(id as ObjectId, opts)).body
      bodies.delete(id)
      const node = decodeFileNode(body, `file tree ${id}`)
      if (node.level !== level) throw new CorruptObjectError(`file tree ${id} is corrupt: level ${node.level} under a level ${level + 1} node`, { id })
      for (const e of node.entries) if (e.kind === 'node') want.add(level - 1, e.id)
      yield { id: id as ObjectId, kind: 'file', body }
    }
    if (!want.anyBelow(level) || level === 0) break
    for (const id of h) {
      if (w.has(id)) continue
      const body = await getIfPresent(src, id as ObjectId, opts)
      if (!body) continue
      for (const e of decodeFileNode(body, `file tree ${id}`).entries) if (e.kind === 'node') have.add(level - 1, e.id)
    }
  }
}

/** Ids per tree level. */
class Levels {
  private readonly byLevel = new Map<number, Set<string>>()

  add(level: number, id: string): void {
    let set = this.byLevel.get(level)
    if (!set) this.byLevel.set(level, (set = new Set()))
    set.add(id)
  }

  at(level: number): Set<string> {
    return this.byLevel.get(level) ?? new Set()
  }

  top(): number {
    return Math.max(-1, ...this.byLevel.keys())
  }

  empty(): boolean {
    return this.byLevel.size === 0
  }

  anyBelow(level: number): boolean {
    for (const [l, set] of this.byLevel) if (l < level && set.size > 0) return true
    return false
  }
}

/** Walks vm trees from roots, skipping ids in `skip` (which it extends); file roots go to onFile. */
async function walkVmTrees(src: ObjectSource, roots: ObjectId[], skip: Set<string>, onFile: (id: ObjectId) => void, opts: AbortOptions, lenient: boolean, out?: DeltaObject[]): Promise<void> {
  const stack = [...roots]
  while (stack.length) {
    const id = stack.pop()!
    if (skip.has(id)) continue
    skip.add(id)
    const body = lenient ? await getIfPresent(src, id, opts) : (await src.get(id, opts)).body
    if (!body) continue
    out?.push({ id, kind: 'vm', body })
    for (const e of decodeVmTree(body, `vm tree ${id}`).entries) {
      if (e.type === 'dir') stack.push(e.id)
      else onFile(e.id)
    }
  }
}

/** Commits named by ids (following annotated tags); ids that are absent or not commits are skipped. */
async function peelToCommits(src: ObjectSource, ids: readonly ObjectId[], opts: AbortOptions): Promise<ObjectId[]> {
  const out: ObjectId[] = []
  for (let id of ids) {
    for (let depth = 0; depth < 8; depth++) {
      const obj = await getObjectIfPresent(src, id, opts)
      if (obj?.kind === 'commit') out.push(id)
      if (obj?.kind !== 'tag') break
      id = decodeTag(obj.body, `tag ${id}`).object
    }
  }
  return out
}

/** Every commit reachable from commits, themselves included. The have side is the sender's own
 *  claim; a commit missing from src only makes the result smaller, so more is sent, never less. */
async function ancestors(src: ObjectSource, commits: ObjectId[], opts: AbortOptions): Promise<Set<ObjectId>> {
  const out = new Set<ObjectId>()
  const stack = [...commits]
  while (stack.length) {
    throwIfAborted(opts.signal)
    const id = stack.pop()!
    if (out.has(id)) continue
    const body = await getIfPresent(src, id, opts)
    if (!body) continue
    out.add(id)
    stack.push(...decodeCommit(body, `commit ${id}`).parents)
  }
  return out
}

async function getObjectIfPresent(src: ObjectSource, id: ObjectId, opts: AbortOptions) {
  try {
    return await src.get(id, opts)
  } catch (err) {
    if (err instanceof NotFoundError) return undefined
    throw err
  }
}

async function getIfPresent(src: ObjectSource, id: ObjectId, opts: AbortOptions): Promise<Buffer | undefined> {
  return (await getObjectIfPresent(src, id, opts))?.body
}
