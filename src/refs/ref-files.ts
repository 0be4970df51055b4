/**
 * The directory tree of loose refs: walking it in name order and pruning directories that
 * deletions left empty. Used by FileRefStore only.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { RefName } from './ref-name.js'

/**
 * Yields the names of files under dir (dir itself standing for name `base`) that start with
 * prefix, in byte order of the full name, skipping dot-files (staging and lock temp files) and
 * '*.lock'. Paths are never built from prefix: it only decides which directories to enter.
 */
export async function* listRefFiles(dir: string, base: string, prefix: string): AsyncIterable<RefName> {
  let entries: fs.Dirent[]
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return
    throw err
  }
  // A directory sorts as "name/": 'a-b' (0x2d) before 'a/b' (0x2f) before 'a0' (0x30), as full names do.
  const keyed = entries
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isFile() && !e.name.endsWith('.lock'))))
    .map((e) => ({ e, key: e.isDirectory() ? `${e.name}/` : e.name }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  for (const { e, key } of keyed) {
    const name = `${base}/${key}`
    if (e.isDirectory()) {
      if (name.startsWith(prefix) || prefix.startsWith(name)) yield* listRefFiles(path.join(dir, e.name), `${base}/${e.name}`, prefix)
    } else if (name.startsWith(prefix)) {
      yield name as RefName
    }
  }
}

/**
 * Removes the directories above root/name that are now empty, deepest first, keeping the
 * category directories (refs/heads, refs/tags, logs/refs/heads...) that a repository always has.
 * Stops at the first directory that is not empty; a concurrent writer recreates what it needs.
 */
export async function pruneEmptyDirs(root: string, name: string): Promise<void> {
  const parts = name.split('/')
  const keep = parts[0] === 'logs' ? 3 : 2
  for (let i = parts.length - 1; i > keep; i--) {
    try {
      await fs.promises.rmdir(path.join(root, ...parts.slice(0, i)))
    } catch {
      return
    }
  }
}
