/**
 * Debris: temp files that an interrupted save left in a store. LocalBackend writes every value to
 * `<root>/tmp/` first and renames it into place, so a crash (or kill -9) leaves at most a file there.
 * Other backends leave none this module can see (MemoryBackend never does; an S3 multipart upload
 * that was never completed is the bucket's lifecycle rules' business).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Backend } from '../store/backend.js'
import { LocalBackend } from '../store/local.js'

export interface DebrisFile {
  /** The file name inside tmp/. */
  name: string
  bytes: number
  mtimeMs: number
}

function tmpDir(backend: Backend): string | undefined {
  return backend instanceof LocalBackend ? path.join(backend.root, 'tmp') : undefined
}

export async function listDebris(backend: Backend): Promise<DebrisFile[]> {
  const dir = tmpDir(backend)
  if (!dir) return []
  let names: string[]
  try {
    names = await fs.promises.readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const out: DebrisFile[] = []
  for (const name of names.sort()) {
    try {
      const st = await fs.promises.lstat(path.join(dir, name))
      if (st.isFile()) out.push({ name, bytes: st.size, mtimeMs: st.mtimeMs })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err // renamed into place meanwhile
    }
  }
  return out
}

/** Removes one temp file; one already gone (renamed into place, or removed by another gc) is fine. */
export async function removeDebris(backend: Backend, name: string): Promise<void> {
  const dir = tmpDir(backend)
  if (!dir || name.includes('/') || name.startsWith('.')) return
  await fs.promises.rm(path.join(dir, name), { force: true })
}
