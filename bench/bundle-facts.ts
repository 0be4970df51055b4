/**
 * What the bench needs to know about a VM bundle folder or an object store on disk: the bundle's
 * files (everything but .ankagit), their apparent and allocated sizes, a BLAKE3 fingerprint of each
 * for byte-for-byte comparisons, and how many files and bytes a folder tree holds.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Blake3Hasher } from '@napi-rs/blake-hash'

const REPOSITORY_FOLDER = '.ankagit'

/** Regular files of a bundle, relative paths in sorted order, .ankagit left out. */
export function bundleFiles(dir: string): string[] {
  const out: string[] = []
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`
      if (p === REPOSITORY_FOLDER) continue
      if (e.isDirectory()) walk(p)
      else if (e.isFile()) out.push(p)
    }
  }
  walk('')
  return out.sort()
}

export interface TreeSize {
  files: number
  /** Sum of file sizes. */
  bytes: number
  /** Sum of st_blocks × 512: what the files occupy on disk (holes cost nothing). */
  allocatedBytes: number
}

/** Counts every regular file under dir (for a bundle, pass the list of bundleFiles instead). */
export function treeSize(dir: string, only?: readonly string[]): TreeSize {
  const size: TreeSize = { files: 0, bytes: 0, allocatedBytes: 0 }
  const add = (p: string): void => {
    const st = fs.statSync(p)
    size.files++
    size.bytes += st.size
    size.allocatedBytes += st.blocks * 512
  }
  if (only) {
    for (const rel of only) add(path.join(dir, rel))
    return size
  }
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile()) add(p)
    }
  }
  if (fs.existsSync(dir)) walk(dir)
  return size
}

/** BLAKE3 of each bundle file's full contents (holes read as zeros), keyed by relative path. */
export function fingerprintBundle(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const buf = Buffer.allocUnsafe(4 << 20)
  for (const rel of bundleFiles(dir)) {
    const hasher = new Blake3Hasher()
    const fd = fs.openSync(path.join(dir, rel), 'r')
    try {
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) hasher.update(buf.subarray(0, n))
    } finally {
      fs.closeSync(fd)
    }
    out[rel] = hasher.digest('hex')
  }
  return out
}

/** Names of files whose fingerprints differ or exist on one side only; empty when the bundles match. */
export function fingerprintDifferences(a: Record<string, string>, b: Record<string, string>): string[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return names.filter((n) => a[n] !== b[n])
}
