/**
 * File trees ("disk trees"): a Merkle tree over one file's bytes. Leaves (level 0) list extents,
 * each a chunk (length + chunk id) or a hole (length only); interior nodes list child nodes with
 * their spans. Node boundaries are content-defined (FORMAT.md § File trees): an entry whose id ends
 * in a zero byte closes its node, or the node reaches FANOUT_MAX entries. So a change in one place
 * rewrites one leaf and the path above it, and equal regions keep equal node ids, which is what lets
 * diff and negotiation skip them.
 */
import { ByteReader, ByteWriter } from './bytes.js'
import { type ObjectId } from './id.js'

/** How the file was cut into chunks; recorded in every node (FORMAT.md § File trees). */
export type ChunkingDescriptor =
  | { kind: 'fixed'; size: number }
  | { kind: 'fastcdc'; min: number; avg: number; max: number }

export type FileEntry =
  | { kind: 'hole'; length: number }
  | { kind: 'chunk'; length: number; id: ObjectId }
  | { kind: 'node'; length: number; id: ObjectId }

export interface FileNode {
  /** 0 for a leaf (holes and chunks); n > 0 for a node whose children are level n-1 nodes. */
  level: number
  chunking: ChunkingDescriptor
  /** Bytes covered: the sum of the entries' lengths. */
  span: number
  entries: FileEntry[]
}

export const FILE_TREE_VERSION = 1
/** Entries per node at most; with the 1-in-256 boundary rule nodes average ~256 entries (~10 KiB). */
export const FANOUT_MAX = 1024
const TYPE_HOLE = 0
const TYPE_REF = 1

/** True when an entry with this id closes its node: its last byte is zero (probability 1/256). */
export function closesNode(id: ObjectId): boolean {
  return id.endsWith('00')
}

export function encodeFileNode(node: FileNode): Buffer {
  const w = new ByteWriter().u8(FILE_TREE_VERSION).u8(node.level)
  const c = node.chunking
  if (c.kind === 'fixed') w.u8(0).varint(c.size).varint(0).varint(0)
  else w.u8(1).varint(c.min).varint(c.avg).varint(c.max)
  w.varint(node.span).varint(node.entries.length)
  for (const e of node.entries) {
    if (e.kind === 'hole') w.u8(TYPE_HOLE).varint(e.length)
    else w.u8(TYPE_REF).varint(e.length).id(e.id)
  }
  return w.finish()
}

export function decodeFileNode(body: Uint8Array, what = 'file tree'): FileNode {
  const r: ByteReader = new ByteReader(body, what)
  if (r.u8() !== FILE_TREE_VERSION) r.fail('unknown version')
  const level = r.u8()
  const chunkerType = r.u8()
  const p = [r.varint(), r.varint(), r.varint()] as const
  let chunking: ChunkingDescriptor
  if (chunkerType === 0 && p[1] === 0 && p[2] === 0 && p[0] > 0) chunking = { kind: 'fixed', size: p[0] }
  else if (chunkerType === 1 && p[0] > 0 && p[0] <= p[1] && p[1] <= p[2]) chunking = { kind: 'fastcdc', min: p[0], avg: p[1], max: p[2] }
  else r.fail('bad chunker descriptor')
  const span = r.varint()
  const count = r.varint()
  if (count > FANOUT_MAX) r.fail(`${count} entries, more than ${FANOUT_MAX}`)
  const entries: FileEntry[] = []
  let sum = 0
  for (let i = 0; i < count; i++) {
    const type = r.u8()
    const length = r.varint()
    if (length === 0) r.fail('empty entry')
    if (type === TYPE_HOLE) {
      if (level !== 0) r.fail('hole in an interior node')
      if (entries.at(-1)?.kind === 'hole') r.fail('adjacent holes not merged')
      entries.push({ kind: 'hole', length })
    } else if (type === TYPE_REF) {
      entries.push({ kind: level === 0 ? 'chunk' : 'node', length, id: r.id() })
    } else r.fail(`unknown entry type ${type}`)
    sum += length
  }
  r.end()
  if (sum !== span) r.fail(`entries cover ${sum} bytes, span says ${span}`)
  if (level > 0 && count === 0) r.fail('interior node without children')
  return { level, chunking, span, entries }
}

/** Stores one encoded node and returns its id; the builder never reads back. */
export type NodeSink = (body: Buffer) => ObjectId

/**
 * Builds the canonical tree for a stream of extents in file order, in bounded memory (one open node
 * per level). The shape depends only on the extents, so equal files always get equal root ids.
 */
export class FileTreeBuilder {
  private readonly levels: FileEntry[][] = [[]]
  private size = 0

  constructor(private readonly chunking: ChunkingDescriptor, private readonly sink: NodeSink) {}

  hole(length: number): void {
    if (length <= 0) return
    const leaf = this.levels[0]!
    const last = leaf.at(-1)
    if (last?.kind === 'hole') last.length += length
    else this.append(0, { kind: 'hole', length })
    this.size += length
  }

  chunk(length: number, id: ObjectId): void {
    this.append(0, { kind: 'chunk', length, id })
    this.size += length
  }

  private append(level: number, entry: FileEntry): void {
    const entries = (this.levels[level] ??= [])
    entries.push(entry)
    const closes = entry.kind !== 'hole' && closesNode(entry.id)
    if (closes || entries.length >= FANOUT_MAX) this.close(level)
  }

  private close(level: number): void {
    const entries = this.levels[level]!
    if (entries.length === 0) return
    const span = entries.reduce((a, e) => a + e.length, 0)
    const id = this.sink(encodeFileNode({ level, chunking: this.chunking, span, entries }))
    this.levels[level] = []
    this.append(level + 1, { kind: 'node', length: span, id })
  }

  /** Closes every open node and returns the root id and the file size. */
  finish(): { id: ObjectId; size: number } {
    for (let level = 0; ; level++) {
      const entries = this.levels[level]!
      const higherOpen = this.levels.slice(level + 1).some((l) => l.length > 0)
      if (!higherOpen) {
        // Everything left sits at this level: a lone child node is the root, else one more node is.
        if (level > 0 && entries.length === 1) return { id: (entries[0] as { id: ObjectId }).id, size: this.size }
        const span = entries.reduce((a, e) => a + e.length, 0)
        return { id: this.sink(encodeFileNode({ level, chunking: this.chunking, span, entries })), size: this.size }
      }
      this.close(level)
    }
  }
}
