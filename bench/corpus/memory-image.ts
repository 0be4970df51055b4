/**
 * memory.img of a suspended VM: RAM as a hypervisor saves it, page by page. Runs of 1-64 pages
 * are zero (free memory, left as holes), page cache (4 KiB blocks copied from the VM's own disk,
 * in disk order as readahead brings them in) or anonymous memory (heap-like words: zeros,
 * pointers, small integers, and some pages of incompressible data).
 *
 * Writing a memory image over one of the same size keeps most runs as they were and redraws the
 * rest, as re-suspending a VM that ran for a while does.
 *
 * File access is synchronous: tens of thousands of 4 KiB reads and writes through the promise
 * API left the thread idle 12 of 14 s for a 512 MiB image; synchronous calls took 1 s.
 */
import * as fs from 'node:fs'
import { InvalidArgumentError } from '../../src/errors.js'
import { dataRanges } from '../../src/chunk/sparse.js'
import { isZero } from './apply-result.js'
import { SeededBytes, SeededRandom } from './seeded-random.js'

export const PAGE = 4096

/** Shares of run kinds in a fresh image; zero-heavy, as the RAM of an idle 2-8 GiB build VM is. */
export const ZERO_SHARE = 0.5
export const CACHE_SHARE = 0.3
/** Share of runs a re-suspend keeps unchanged. */
export const KEEP_SHARE = 0.85

export interface MemoryImageOptions {
  file: string
  /** The VM's disk, the source of page-cache pages. */
  disk: string
  size: number
  seed: number
  signal?: AbortSignal
}

export async function writeMemoryImage(o: MemoryImageOptions): Promise<void> {
  if (!(o.size > 0) || o.size % PAGE !== 0) throw new InvalidArgumentError(`invalid memory size '${o.size}': must be a positive multiple of 4096`)
  const diskBlocks = listDataBlocks(o.disk)
  const old = fs.existsSync(o.file) && fs.statSync(o.file).size === o.size ? fs.openSync(o.file, 'r') : undefined
  const disk = fs.openSync(o.disk, 'r')
  const tmp = `${o.file}.tmp`
  const out = fs.openSync(tmp, 'w')
  let complete = false
  try {
    fs.ftruncateSync(out, o.size)
    const rnd = new SeededRandom(o.seed, 'memory')
    const bytes = new SeededBytes(o.seed, 'memory')
    const pages = o.size / PAGE
    for (let p = 0; p < pages; ) {
      if (o.signal?.aborted) throw o.signal.reason
      const count = Math.min(pages - p, 1 << rnd.below(7))
      let run: Buffer | undefined
      if (old !== undefined && rnd.chance(KEEP_SHARE)) {
        run = Buffer.alloc(count * PAGE)
        fs.readSync(old, run, 0, run.length, p * PAGE)
      } else {
        const kind = rnd.next()
        if (kind < ZERO_SHARE) run = undefined
        else if (kind < ZERO_SHARE + CACHE_SHARE && diskBlocks.length > count) run = cachePages(disk, diskBlocks, count, rnd)
        else run = anonymousPages(count, rnd, bytes)
      }
      if (run) writeNonZeroPages(out, run, p * PAGE)
      p += count
    }
    fs.fsyncSync(out)
    complete = true
  } finally {
    fs.closeSync(out)
    fs.closeSync(disk)
    if (old !== undefined) fs.closeSync(old)
    if (!complete) fs.rmSync(tmp, { force: true })
  }
  fs.renameSync(tmp, o.file)
}

/** Indexes of the disk's non-zero 4 KiB blocks; only the file's data ranges are read. */
export function listDataBlocks(file: string): Uint32Array {
  const fd = fs.openSync(file, 'r')
  const found: number[] = []
  try {
    const buf = Buffer.alloc(1 << 20)
    for (const [start, end] of dataRanges(fd, fs.fstatSync(fd).size)) {
      for (let off = start - (start % PAGE); off < end; off += buf.length) {
        const n = fs.readSync(fd, buf, 0, Math.min(buf.length, end - off), off)
        for (let b = 0; b + PAGE <= n; b += PAGE) {
          if (!isZero(buf.subarray(b, b + PAGE))) found.push((off + b) / PAGE)
        }
      }
    }
  } finally {
    fs.closeSync(fd)
  }
  return Uint32Array.from(found)
}

/** `count` consecutive data blocks of the disk, from a seeded start. */
function cachePages(disk: number, blocks: Uint32Array, count: number, rnd: SeededRandom): Buffer {
  const start = rnd.below(blocks.length - count)
  const run = Buffer.alloc(count * PAGE)
  for (let i = 0; i < count; i++) fs.readSync(disk, run, i * PAGE, PAGE, blocks[start + i]! * PAGE)
  return run
}

/**
 * Heap-like pages: a quarter are incompressible (encrypted or compressed data); the rest are
 * 8-byte words that are zero, pointers into a few mappings, small integers, or random.
 */
function anonymousPages(count: number, rnd: SeededRandom, bytes: SeededBytes): Buffer {
  const run = bytes.take(count * PAGE)
  const words = new Uint32Array(run.buffer, run.byteOffset, run.length / 4)
  for (let page = 0; page < count; page++) {
    if (rnd.chance(0.25)) continue
    for (let w = page * 1024; w < (page + 1) * 1024; w += 2) {
      const r = rnd.nextUint32()
      const k = r & 0xff
      if (k < 110) {
        words[w] = 0
        words[w + 1] = 0
      } else if (k < 190) {
        words[w] = words[w]! & 0xfffffff8
        words[w + 1] = [0x5555, 0x7f3a, 0x7ffd][(r >>> 8) % 3]!
      } else if (k < 235) {
        words[w] = (r >>> 16) & 0x3ff
        words[w + 1] = 0
      }
    }
  }
  return run
}

/** Writes the non-zero pages of run at offset, coalescing neighbours; zero pages stay holes. */
function writeNonZeroPages(out: number, run: Buffer, offset: number): void {
  let start = -1
  for (let at = 0; at <= run.length; at += PAGE) {
    const zero = at === run.length || isZero(run.subarray(at, at + PAGE))
    if (!zero && start < 0) start = at
    if (zero && start >= 0) {
      fs.writeSync(out, run, start, at - start, offset + start)
      start = -1
    }
  }
}
