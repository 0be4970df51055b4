/**
 * Small helpers for tests on real sparse files: make one with chosen extents, measure what it
 * really occupies, hash it, and compare two folders byte for byte.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Blake3Hasher } from '@napi-rs/blake-hash'
import { SeededBytes } from '../../bench/corpus/seeded-random.js'

/** Data written at offset: given bytes, or `length` seeded bytes. */
export type Extent = { offset: number; bytes: Uint8Array } | { offset: number; length: number; seed: number }

/** Creates (or replaces) a file of apparent size `size` holding only the given extents; the rest are holes. */
export function makeSparseFile(file: string, size: number, extents: readonly Extent[] = []): void {
  const fd = fs.openSync(file, 'w')
  try {
    fs.ftruncateSync(fd, size)
    for (const e of extents) {
      const bytes = 'bytes' in e ? e.bytes : new SeededBytes(e.seed, `extent:${e.offset}`).take(e.length)
      if (e.offset + bytes.length > size) throw new RangeError(`extent at ${e.offset} of ${bytes.length} bytes ends past size ${size}`)
      fs.writeSync(fd, bytes, 0, bytes.length, e.offset)
    }
  } finally {
    fs.closeSync(fd)
  }
}

/** Bytes the file occupies on disk (st_blocks × 512), as du counts them. */
export function allocatedBytes(file: string): number {
  return fs.statSync(file).blocks * 512
}

/** BLAKE3-256 of the file's bytes as hex, read 1 MiB at a time. */
export function blake3File(file: string): string {
  const hasher = new Blake3Hasher()
  const fd = fs.openSync(file, 'r')
  try {
    const buf = Buffer.alloc(1 << 20)
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null)
      if (n === 0) break
      hasher.update(buf.subarray(0, n))
    }
  } finally {
    fs.closeSync(fd)
  }
  return hasher.digest('hex')
}

/**
 * Compares two folder trees: every regular file byte for byte, plus which names exist and
 * their kinds. Returns one line per difference ("only in a: x", "differs: x", ...); empty
 * when they are the same. Symlinks compare by target.
 */
export function sameFiles(dirA: string, dirB: string): string[] {
  const out: string[] = []
  const walk = (rel: string): void => {
    const a = path.join(dirA, rel)
    const b = path.join(dirB, rel)
    const namesA = new Set(fs.readdirSync(a))
    const namesB = new Set(fs.readdirSync(b))
    for (const n of [...new Set([...namesA, ...namesB])].sort()) {
      const r = rel ? `${rel}/${n}` : n
      if (!namesB.has(n)) out.push(`only in a: ${r}`)
      else if (!namesA.has(n)) out.push(`only in b: ${r}`)
      else compareEntry(path.join(a, n), path.join(b, n), r, out, walk)
    }
  }
  walk('')
  return out
}

function compareEntry(a: string, b: string, rel: string, out: string[], walk: (rel: string) => void): void {
  const sa = fs.lstatSync(a)
  const sb = fs.lstatSync(b)
  const kind = (s: fs.Stats) => (s.isDirectory() ? 'folder' : s.isFile() ? 'file' : s.isSymbolicLink() ? 'symlink' : 'other')
  if (kind(sa) !== kind(sb)) out.push(`kind differs: ${rel} (${kind(sa)} vs ${kind(sb)})`)
  else if (sa.isDirectory()) walk(rel)
  else if (sa.isSymbolicLink()) {
    if (fs.readlinkSync(a) !== fs.readlinkSync(b)) out.push(`symlink differs: ${rel}`)
  } else if (sa.isFile()) {
    if (sa.size !== sb.size) out.push(`size differs: ${rel} (${sa.size} vs ${sb.size})`)
    else if (!sameBytes(a, b)) out.push(`differs: ${rel}`)
  }
}

function sameBytes(a: string, b: string): boolean {
  const fa = fs.openSync(a, 'r')
  const fb = fs.openSync(b, 'r')
  try {
    const ba = Buffer.alloc(1 << 20)
    const bb = Buffer.alloc(1 << 20)
    for (;;) {
      const na = fs.readSync(fa, ba, 0, ba.length, null)
      const nb = fs.readSync(fb, bb, 0, bb.length, null)
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false
      if (na === 0) return true
    }
  } finally {
    fs.closeSync(fa)
    fs.closeSync(fb)
  }
}

/**
 * Compares two files of equal size block by block (aligned to the file start): how many blocks
 * differ, and how many blocks of b are not all zero, the base a "most blocks" test needs.
 */
export function differingBlocks(a: string, b: string, blockSize = 65536): { differ: number; nonZero: number } {
  const fa = fs.openSync(a, 'r')
  const fb = fs.openSync(b, 'r')
  const step = Math.max(blockSize, 1 << 20) - (Math.max(blockSize, 1 << 20) % blockSize)
  const ba = Buffer.alloc(step)
  const bbuf = Buffer.alloc(step)
  const zero = Buffer.alloc(blockSize)
  let differ = 0
  let nonZero = 0
  try {
    for (let off = 0; ; off += step) {
      const na = fs.readSync(fa, ba, 0, step, off)
      const nb = fs.readSync(fb, bbuf, 0, step, off)
      if (na === 0 && nb === 0) break
      for (let i = 0; i < Math.max(na, nb); i += blockSize) {
        const x = ba.subarray(i, Math.min(i + blockSize, na))
        const y = bbuf.subarray(i, Math.min(i + blockSize, nb))
        if (!x.equals(y)) differ++
        if (!y.equals(zero.subarray(0, y.length))) nonZero++
      }
    }
  } finally {
    fs.closeSync(fa)
    fs.closeSync(fb)
  }
  return { differ, nonZero }
}
