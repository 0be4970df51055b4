/**
 * Typed reads of stored objects (isomorphic-git's readCommit/readTree style): fetch, verify the kind,
 * decode. Commands use these instead of decoding bodies themselves.
 */
import type { AbortOptions } from '../options.js'
import { CorruptObjectError, InvalidArgumentError } from '../errors.js'
import type { ObjectId, ObjectKind } from './id.js'
import type { ObjectSource } from './object-store.js'
import { type Commit, decodeCommit } from './commit.js'
import { type Tag, decodeTag } from './tag.js'
import { type VmTree, decodeVmTree } from './vm-tree.js'

async function readKind(src: ObjectSource, id: ObjectId, kind: ObjectKind, opts?: AbortOptions): Promise<Buffer> {
  const obj = await src.get(id, opts)
  if (obj.kind !== kind) throw new InvalidArgumentError(`object ${id} is a ${obj.kind}, not a ${kind}`, { id })
  return obj.body
}

export async function readCommit(src: ObjectSource, id: ObjectId, opts?: AbortOptions): Promise<Commit> {
  return decodeCommit(await readKind(src, id, 'commit', opts), `commit ${id}`)
}

export async function readTag(src: ObjectSource, id: ObjectId, opts?: AbortOptions): Promise<Tag> {
  return decodeTag(await readKind(src, id, 'tag', opts), `tag ${id}`)
}

export async function readVmTree(src: ObjectSource, id: ObjectId, opts?: AbortOptions): Promise<VmTree> {
  return decodeVmTree(await readKind(src, id, 'vm', opts), `vm tree ${id}`)
}

/** Follows annotated tags until something else; returns that object's id and kind. */
export async function peel(src: ObjectSource, id: ObjectId, opts?: AbortOptions): Promise<{ id: ObjectId; kind: ObjectKind }> {
  for (let depth = 0; depth < 32; depth++) {
    const obj = await src.get(id, opts)
    if (obj.kind !== 'tag') return { id, kind: obj.kind }
    id = decodeTag(obj.body, `tag ${id}`).object
  }
  throw new CorruptObjectError(`tag chain at ${id} is too deep`)
}

export async function peelToCommit(src: ObjectSource, id: ObjectId, opts?: AbortOptions): Promise<ObjectId> {
  const p = await peel(src, id, opts)
  if (p.kind !== 'commit') throw new InvalidArgumentError(`object ${id} is a ${p.kind}, not a commit`, { id })
  return p.id
}

/** Flattens a vm tree into bundle paths -> file entries (reading subdirectory trees). */
export async function readBundleFiles(src: ObjectSource, tree: ObjectId, opts?: AbortOptions): Promise<Map<string, { id: ObjectId; size: number; mode: number }>> {
  const out = new Map<string, { id: ObjectId; size: number; mode: number }>()
  const walk = async (id: ObjectId, prefix: string): Promise<void> => {
    for (const e of (await readVmTree(src, id, opts)).entries) {
      const p = prefix + e.name
      if (e.type === 'dir') await walk(e.id, p + '/')
      else out.set(p, { id: e.id, size: e.size, mode: e.mode })
    }
  }
  await walk(tree, '')
  return out
}
