/**
 * `ankagit ls-tree REV [PATH]`: the entries of a commit's vm tree (or of a vm tree named directly),
 * with git's path rule: `dir` shows the entry itself, `dir/` its contents; `-r` descends into
 * subdirectories and lists files only. Also exports the bundle-path lookup cat-file uses for REV:PATH.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import type { ObjectSource } from '../objects/object-store.js'
import { InvalidArgumentError, NotFoundError } from '../errors.js'
import { type VmEntry, type VmEntryType } from '../objects/vm-tree.js'
import { peel, readCommit, readVmTree } from '../objects/read.js'
import { resolve } from './revision.js'

export interface LsTreeEntry {
  /** Bundle path from the listed tree's root, e.g. "Data/nvram.bin". */
  path: string
  /** Permission bits (0..0o7777). */
  mode: number
  /** The kind of the object the entry names: a file tree ('file') or a vm tree ('vm'). */
  type: 'file' | 'vm'
  id: ObjectId
  /** File size; undefined for directories. */
  size?: number
}

export interface LsTreeOptions extends AbortOptions {
  repo: Repository
  /** A commit-ish (tags are followed) or a vm tree id. */
  rev: string
  path?: string
  recursive?: boolean
}

export async function lsTree(o: LsTreeOptions): Promise<LsTreeEntry[]> {
  const src = o.repo.objects
  const root = await resolveTree(o.repo, o.rev, o)
  const p = (o.path ?? '').replace(/^\.?\/+/, '')
  if (p === '' || p === '.') return listDir(src, root, '', Boolean(o.recursive), o)
  const clean = p.replace(/\/+$/, '')
  const entry = await lookupBundlePath(src, root, clean, o)
  if (!entry) throw new NotFoundError(`path '${clean}' does not exist in '${o.rev}'`, { path: clean })
  if (entry.type === 'dir' && (p.endsWith('/') || o.recursive)) return listDir(src, entry.id, clean + '/', Boolean(o.recursive), o)
  if (p.endsWith('/')) throw new InvalidArgumentError(`path '${clean}' in '${o.rev}' is not a directory`, { path: clean })
  return [toListed(entry, clean)]
}

/** The vm tree a revision names: a commit's tree (through tags), or a vm tree itself. */
export async function resolveTree(repo: Repository, rev: string, opts?: AbortOptions): Promise<ObjectId> {
  const end = await peel(repo.objects, await resolve(repo, rev, opts), opts)
  if (end.kind === 'commit') return (await readCommit(repo.objects, end.id, opts)).tree
  if (end.kind === 'vm') return end.id
  throw new InvalidArgumentError(`'${rev}' names a ${end.kind}, not a commit or vm tree`, { rev })
}

/** The entry at a '/'-separated bundle path under a vm tree, or undefined when there is none. */
export async function lookupBundlePath(src: ObjectSource, tree: ObjectId, bundlePath: string, opts?: AbortOptions): Promise<VmEntry | undefined> {
  const parts = bundlePath.split('/').filter((x) => x !== '')
  if (parts.length === 0) throw new InvalidArgumentError('empty bundle path')
  let dir = tree
  for (let i = 0; i < parts.length; i++) {
    const entry = (await readVmTree(src, dir, opts)).entries.find((e) => e.name === parts[i])
    if (!entry) return undefined
    if (i === parts.length - 1) return entry
    if (entry.type !== 'dir') return undefined
    dir = entry.id
  }
  return undefined
}

async function listDir(src: ObjectSource, tree: ObjectId, prefix: string, recursive: boolean, opts?: AbortOptions): Promise<LsTreeEntry[]> {
  const out: LsTreeEntry[] = []
  for (const e of (await readVmTree(src, tree, opts)).entries) {
    if (recursive && e.type === 'dir') out.push(...(await listDir(src, e.id, `${prefix}${e.name}/`, true, opts)))
    else out.push(toListed(e, prefix + e.name))
  }
  return out
}

function toListed(e: VmEntry, path: string): LsTreeEntry {
  const entry: LsTreeEntry = { path, mode: e.mode, type: objectKindOf(e.type), id: e.id }
  if (e.type === 'file') entry.size = e.size
  return entry
}

function objectKindOf(t: VmEntryType): 'file' | 'vm' {
  return t === 'dir' ? 'vm' : 'file'
}

/** One listing line: `<mode> <type> <id> <size>\t<path>`, mode in octal, '-' as the size of a directory. */
export function formatTreeLine(e: { mode: number; type: string; id: string; size?: number; path: string }): string {
  return `${e.mode.toString(8).padStart(4, '0')} ${e.type} ${e.id} ${e.size ?? '-'}\t${e.path}`
}
