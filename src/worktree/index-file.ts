/**
 * The index: a stat cache of the working tree (FORMAT.md § Repository layout). For each file it keeps
 * what stat said and the file tree id the bytes had then, so status and commit skip files whose stat is
 * unchanged without reading them. Like git, an entry whose mtime is not older than the scan that
 * recorded it is "racily clean" and is re-read next time.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { randomHex } from '../lazy-crypto.js'
import type { ObjectId } from '../objects/id.js'
import { isObjectId } from '../objects/id.js'
import { crashPoint } from '../crash-points.js'

export interface StatKey {
  size: number
  mtimeNs: string
  ctimeNs: string
  ino: string
  mode: number
}

export interface IndexEntry extends StatKey {
  id: ObjectId
}

export interface WorktreeIndex {
  version: 1
  /**
   * The vm tree of exactly these files (their paths, ids, sizes and modes), or null: a VM whose files
   * all match their entries, with none added or gone, has this tree without hashing anything. Every
   * writer keeps that true (commit and checkout write the tree they wrote; status, which may drop
   * entries, writes null then).
   */
  tree: ObjectId | null
  /** The commit whose tree that is, when one is known, so an unchanged VM is recognised without reading any object. */
  head: ObjectId | null
  /** When the scan that produced these entries started (ns since epoch, as a decimal string). */
  scannedNs: string
  files: Record<string, IndexEntry>
}

export const INDEX_FILE = 'index'

export function emptyIndex(): WorktreeIndex {
  return { version: 1, tree: null, head: null, scannedNs: '0', files: {} }
}

export function statKey(st: fs.BigIntStats): StatKey {
  return { size: Number(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino), mode: Number(st.mode) }
}

/** True when the cached entry can stand for the file without reading it. */
export function isClean(entry: IndexEntry | undefined, key: StatKey, scannedNs: string): entry is IndexEntry {
  if (!entry) return false
  const same = entry.size === key.size && entry.mtimeNs === key.mtimeNs && entry.ctimeNs === key.ctimeNs && entry.ino === key.ino && entry.mode === key.mode
  // Racy: modified in the same instant the scan began, so the cached id may predate a later write.
  return same && BigInt(key.mtimeNs) < BigInt(scannedNs)
}

export function readIndex(gitdir: string): WorktreeIndex {
  let text: string
  try {
    text = fs.readFileSync(path.join(gitdir, INDEX_FILE), 'utf8')
  } catch {
    return emptyIndex()
  }
  try {
    const idx = JSON.parse(text) as WorktreeIndex
    const idOrNull = (v: unknown) => v === null || (typeof v === 'string' && isObjectId(v))
    if (idx.version !== 1 || typeof idx.files !== 'object' || !idOrNull(idx.tree) || !idOrNull(idx.head ?? null)) return emptyIndex()
    // Entries are checked too: a bad scannedNs made isClean throw a SyntaxError, and an entry with a
    // bad id whose stat matched went into a vm tree unread (test/fuzz/local-files.test.ts).
    if (!isDecimal(idx.scannedNs) || idx.files === null || !Object.values(idx.files).every(isEntry)) return emptyIndex()
    idx.head ??= null
    return idx
  } catch {
    // A damaged stat cache only costs a re-read of the files.
    return emptyIndex()
  }
}

function isDecimal(v: unknown): v is string {
  return typeof v === 'string' && /^\d{1,30}$/.test(v)
}

function isEntry(e: unknown): e is IndexEntry {
  const x = e as IndexEntry
  return typeof e === 'object' && e !== null && Number.isSafeInteger(x.size) && Number.isSafeInteger(x.mode) &&
    isDecimal(x.mtimeNs) && isDecimal(x.ctimeNs) && isDecimal(x.ino) && typeof x.id === 'string' && isObjectId(x.id)
}

/** Replaces the index atomically (temp file, fsync, rename). */
export function writeIndex(gitdir: string, idx: WorktreeIndex): void {
  const file = path.join(gitdir, INDEX_FILE)
  const tmp = `${file}.${randomHex(4)}.tmp`
  const fd = fs.openSync(tmp, 'wx', 0o644)
  try {
    fs.writeSync(fd, JSON.stringify(idx))
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  crashPoint('index-temp-written')
  fs.renameSync(tmp, file)
}
