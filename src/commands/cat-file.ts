/**
 * `ankagit cat-file (-t|-s|-p) OBJECT`: one stored object's kind, size or content, verified against
 * its id as every read is. OBJECT is a revision (id, prefix, ref, `main~2`) or git's `REV:PATH`
 * (the vm tree or file tree a bundle path names in that commit). `prettyObject` gives -p's text:
 * commits and tags as stored, vm trees as listing lines, file tree nodes as a header and their
 * entries, and a chunk's raw bytes.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId, ObjectKind } from '../objects/id.js'
import { NotFoundError } from '../errors.js'
import { decodeVmTree } from '../objects/vm-tree.js'
import { type FileNode, decodeFileNode } from '../objects/file-tree.js'
import { resolve } from './revision.js'
import { formatTreeLine, lookupBundlePath, resolveTree } from './ls-tree.js'

export interface CatFileOptions extends AbortOptions {
  repo: Repository
  /** A revision, or REV:PATH. */
  object: string
}

export interface CatFileResult {
  id: ObjectId
  kind: ObjectKind
  /** Bytes of the uncompressed body (what the id hashes, after its header). */
  size: number
  body: Buffer
}

export async function catFile(o: CatFileOptions): Promise<CatFileResult> {
  const id = await resolveObject(o.repo, o.object, o)
  const obj = await o.repo.objects.get(id, o)
  return { id, kind: obj.kind, size: obj.body.length, body: obj.body }
}

/** A revision or `REV:PATH` to an object id. `REV:` alone names the commit's vm tree. */
export async function resolveObject(repo: Repository, spec: string, opts?: AbortOptions): Promise<ObjectId> {
  const colon = spec.indexOf(':')
  if (colon < 0) return resolve(repo, spec, opts)
  const rev = spec.slice(0, colon) || 'HEAD'
  const bundlePath = spec.slice(colon + 1).replace(/^\/+|\/+$/g, '')
  const tree = await resolveTree(repo, rev, opts)
  if (bundlePath === '') return tree
  const entry = await lookupBundlePath(repo.objects, tree, bundlePath, opts)
  if (!entry) throw new NotFoundError(`path '${bundlePath}' does not exist in '${rev}'`, { rev, path: bundlePath })
  return entry.id
}

/** -p's output: text for every kind but chunks, whose raw bytes are returned as they are. */
export function prettyObject(obj: { id: ObjectId; kind: ObjectKind; body: Buffer }): string | Buffer {
  switch (obj.kind) {
    case 'chunk':
      return obj.body
    case 'commit':
    case 'tag':
      return obj.body.toString('utf8')
    case 'vm':
      return decodeVmTree(obj.body, `vm tree ${obj.id}`)
        .entries.map((e) => formatTreeLine({ mode: e.mode, type: e.type === 'dir' ? 'vm' : 'file', id: e.id, size: e.type === 'dir' ? undefined : e.size, path: e.name }))
        .map((l) => l + '\n')
        .join('')
    case 'file':
      return formatFileNode(decodeFileNode(obj.body, `file tree ${obj.id}`))
  }
}

/** A file tree node: header lines, a blank line, then `hole <len>`, `chunk <id> <len>` or `node <id> <span>` per entry. */
export function formatFileNode(n: FileNode): string {
  const c = n.chunking
  const chunking = c.kind === 'fixed' ? `fixed ${c.size}` : `fastcdc ${c.min} ${c.avg} ${c.max}`
  const lines = [`level ${n.level}`, `chunking ${chunking}`, `span ${n.span}`, `entries ${n.entries.length}`, '']
  for (const e of n.entries) lines.push(e.kind === 'hole' ? `hole ${e.length}` : `${e.kind} ${e.id} ${e.length}`)
  return lines.join('\n') + '\n'
}
