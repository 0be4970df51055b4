/**
 * VM trees: the entries of one directory of a VM bundle (FORMAT.md § VM trees). A regular file points
 * at the root of its file tree; a subdirectory at another vm tree. Names are checked here, on both
 * encode and decode, so no stored or received tree can name a path outside the bundle.
 */
import { ByteReader, ByteWriter } from './bytes.js'
import { type ObjectId } from './id.js'
import { CorruptObjectError, InvalidArgumentError } from '../errors.js'

export type VmEntryType = 'file' | 'dir'

export interface VmEntry {
  name: string
  type: VmEntryType
  /** Permission bits (0..0o7777); the file type lives in `type`. */
  mode: number
  /** File size for 'file' entries (the root file tree's span), 0 for 'dir'. Kept here so listings need no tree reads. */
  size: number
  id: ObjectId
}

export interface VmTree {
  entries: VmEntry[]
}

export const VM_TREE_VERSION = 1
const TYPE_CODES: Record<VmEntryType, number> = { file: 1, dir: 2 }
const MAX_NAME_BYTES = 255

/** Why a bundle entry name is unsafe, or undefined if it is fine. */
export function entryNameProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'reserved name'
  if (name.includes('/') || name.includes('\\')) return 'contains a path separator'
  if (/[\x00-\x1f\x7f]/.test(name)) return 'contains a control character'
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) return `longer than ${MAX_NAME_BYTES} bytes`
  if (name === '.ankagit') return 'reserved for the repository'
  if (Buffer.from(name, 'utf8').toString('utf8') !== name) return 'not valid UTF-8'
  return undefined
}

function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}

export function encodeVmTree(tree: VmTree): Buffer {
  const entries = [...tree.entries].sort((a, b) => compareNames(a.name, b.name))
  const w = new ByteWriter().u8(VM_TREE_VERSION).varint(entries.length)
  let prev: string | undefined
  for (const e of entries) {
    const problem = entryNameProblem(e.name)
    if (problem) throw new InvalidArgumentError(`invalid entry name '${e.name}': ${problem}`)
    if (prev === e.name) throw new InvalidArgumentError(`duplicate entry name '${e.name}'`)
    prev = e.name
    const name = Buffer.from(e.name)
    w.u8(TYPE_CODES[e.type]).varint(e.mode & 0o7777).varint(e.type === 'file' ? e.size : 0)
    w.varint(name.length).bytes(name).id(e.id)
  }
  return w.finish()
}

export function decodeVmTree(body: Uint8Array, what = 'vm tree'): VmTree {
  const r: ByteReader = new ByteReader(body, what)
  if (r.u8() !== VM_TREE_VERSION) r.fail('unknown version')
  const count = r.varint()
  const entries: VmEntry[] = []
  let prev: Buffer | undefined
  for (let i = 0; i < count; i++) {
    const code = r.u8()
    const type: VmEntryType = code === 1 ? 'file' : code === 2 ? 'dir' : r.fail(`unknown entry type ${code}`)
    const mode = r.varint()
    if (mode > 0o7777) r.fail('bad mode')
    const size = r.varint()
    if (type === 'dir' && size !== 0) r.fail('directory with a size')
    const nameBytes = Buffer.from(r.bytes(r.varint()))
    if (prev && Buffer.compare(prev, nameBytes) >= 0) r.fail('entries not sorted or duplicated')
    prev = nameBytes
    const name = nameBytes.toString('utf8')
    // Invalid UTF-8 decodes to U+FFFD, so two different names could read as one: refuse it.
    const problem = Buffer.from(name).equals(nameBytes) ? entryNameProblem(name) : 'not valid UTF-8'
    if (problem) throw new CorruptObjectError(`${what} is corrupt: entry name '${name.replace(/[\x00-\x1f]/g, '?')}' ${problem}`)
    entries.push({ name, type, mode, size, id: r.id() })
  }
  r.end()
  return { entries }
}
