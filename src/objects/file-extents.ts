/**
 * Reading file trees as extents: the flat list of chunks and holes of a file, in offset order,
 * streamed leaf by leaf (bounded memory whatever the file size), and the comparison of two trees
 * that checkout, diff and status use.
 */
import type { AbortOptions } from '../options.js'
import type { ObjectId } from './id.js'
import type { ObjectSource } from './object-store.js'
import { type FileNode, decodeFileNode } from './file-tree.js'
import { CorruptObjectError } from '../errors.js'

export type Extent =
  | { kind: 'hole'; offset: number; length: number }
  | { kind: 'chunk'; offset: number; length: number; id: ObjectId }

export async function readFileNode(src: ObjectSource, id: ObjectId, opts?: AbortOptions): Promise<FileNode> {
  const obj = await src.get(id, opts)
  if (obj.kind !== 'file') throw new CorruptObjectError(`object ${id} is a ${obj.kind}, expected a file tree`, { id })
  return decodeFileNode(obj.body, `file tree ${id}`)
}

/** Every extent of the file whose tree root is `root`, in order; adjacent holes across leaves are merged. */
export async function* fileExtents(src: ObjectSource, root: ObjectId, opts?: AbortOptions): AsyncIterable<Extent> {
  let offset = 0
  let hole = 0
  const stack: ObjectId[] = [root]
  while (stack.length) {
    const node = await readFileNode(src, stack.pop()!, opts)
    if (node.level > 0) {
      for (let i = node.entries.length - 1; i >= 0; i--) stack.push((node.entries[i] as { id: ObjectId }).id)
      continue
    }
    for (const e of node.entries) {
      if (e.kind === 'hole') {
        hole += e.length
        continue
      }
      if (hole) {
        yield { kind: 'hole', offset, length: hole }
        offset += hole
        hole = 0
      }
      yield { kind: 'chunk', offset, length: e.length, id: (e as { id: ObjectId }).id }
      offset += e.length
    }
  }
  if (hole) yield { kind: 'hole', offset, length: hole }
}

/** A piece of the new file that differs from the old one at the same offsets. */
export type Change =
  /** Write this chunk here. */
  | { kind: 'chunk'; offset: number; length: number; id: ObjectId }
  /** This range is a hole in the new file but held data in the old one. */
  | { kind: 'hole'; offset: number; length: number }

/**
 * What turns a file holding `oldRoot` into `newRoot`: chunks of the new tree that the old tree does not
 * have at the same offset and length, and hole ranges where the old tree had data. Beyond the new
 * size nothing is reported (the caller truncates). With no old tree every chunk is a change.
 */
export async function* diffFileTrees(src: ObjectSource, oldRoot: ObjectId | undefined, newRoot: ObjectId, opts?: AbortOptions): AsyncIterable<Change> {
  if (oldRoot === newRoot) return
  const next = (it: AsyncIterator<Extent>) => it.next().then((r) => (r.done ? undefined : r.value))
  const oldIt = oldRoot ? fileExtents(src, oldRoot, opts)[Symbol.asyncIterator]() : undefined
  let old = oldIt ? await next(oldIt) : undefined
  for await (const e of fileExtents(src, newRoot, opts)) {
    const end = e.offset + e.length
    // Skip old extents that end before this one starts.
    while (old && old.offset + old.length <= e.offset) old = await next(oldIt!)
    if (e.kind === 'chunk') {
      const same = old && old.kind === 'chunk' && old.offset === e.offset && old.length === e.length && old.id === e.id
      if (!same) yield e
      continue
    }
    // A new hole: report the parts where old extents held data.
    while (old && old.offset < end) {
      if (old.kind === 'chunk') {
        const s = Math.max(old.offset, e.offset)
        const t = Math.min(old.offset + old.length, end)
        yield { kind: 'hole', offset: s, length: t - s }
      }
      if (old.offset + old.length > end) break
      old = await next(oldIt!)
    }
  }
}
