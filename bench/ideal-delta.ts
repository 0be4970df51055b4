/**
 * The lower bound a fixed-block content-addressed store can reach for a new version of some files:
 * cut every target file into blocks aligned to its start, drop all-zero blocks, keep the distinct
 * blocks found nowhere in the base files (any file, any offset), and compress them, in order of first
 * appearance, with `zstd -LEVEL -T2`. With no base files this is the cost of storing the target alone.
 *
 * It is the definition of the team's ideal-delta.py (design.md § 7), so its "64 KiB novel zstd-3"
 * figure is the "64 KiB-aligned ideal" that issue 2's target compares a re-commit with. Holes are
 * skipped through SEEK_DATA (src/chunk/sparse.ts) and never read.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import { blake3 } from '@napi-rs/blake-hash'
import { dataRanges } from '../src/chunk/sparse.js'

/** Read granularity; every block size must divide it. */
const STEP = 1 << 20

export interface IdealBlocks {
  blockSize: number
  /** Distinct non-zero blocks of the targets found in no base block. */
  novelBlocks: number
  novelBytes: number
  /** Those blocks concatenated and compressed with zstd at the given level. */
  novelZstdBytes: number
  /** Bytes of the targets in all-zero blocks, holes included. */
  zeroBytes: number
}

export interface IdealDeltaOptions {
  base: readonly string[]
  target: readonly string[]
  blockSizes?: readonly number[]
  zstdLevel?: number
}

export async function idealDelta(o: IdealDeltaOptions): Promise<IdealBlocks[]> {
  const sizes = o.blockSizes ?? [65536]
  for (const bs of sizes) {
    if (!(bs > 0) || STEP % bs !== 0) throw new Error(`invalid block size '${bs}': must divide ${STEP}`)
  }
  const known = sizes.map(() => new Set<string>())
  for (const file of o.base) {
    for (const buf of readDataSteps(file)) {
      sizes.forEach((bs, i) => {
        forEachNonZeroBlock(buf, bs, (blk) => known[i]!.add(blockKey(blk)))
      })
    }
  }
  const level = o.zstdLevel ?? 3
  const sinks = sizes.map(() => new CompressedCounter(level))
  const results: IdealBlocks[] = sizes.map((blockSize) => ({ blockSize, novelBlocks: 0, novelBytes: 0, novelZstdBytes: 0, zeroBytes: 0 }))
  try {
    for (const file of o.target) {
      let scanned = 0
      for (const buf of readDataSteps(file)) {
        scanned += buf.length
        for (let i = 0; i < sizes.length; i++) {
          const r = results[i]!
          const seen = known[i]!
          r.zeroBytes += buf.length
          forEachNonZeroBlock(buf, sizes[i]!, (blk) => {
            r.zeroBytes -= blk.length
            const key = blockKey(blk)
            if (seen.has(key)) return
            seen.add(key)
            r.novelBlocks++
            r.novelBytes += blk.length
            sinks[i]!.write(blk)
          })
        }
        await Promise.all(sinks.map((s) => s.drained()))
      }
      const holes = fs.statSync(file).size - scanned
      for (const r of results) r.zeroBytes += holes
    }
    for (let i = 0; i < sizes.length; i++) results[i]!.novelZstdBytes = await sinks[i]!.finish()
  } finally {
    for (const s of sinks) s.kill()
  }
  return results
}

function blockKey(blk: Buffer): string {
  return blake3(blk).toString('latin1')
}

const zeroBlock = Buffer.alloc(STEP)

function forEachNonZeroBlock(buf: Buffer, bs: number, visit: (blk: Buffer) => void): void {
  for (let j = 0; j < buf.length; j += bs) {
    const blk = buf.subarray(j, Math.min(j + bs, buf.length))
    if (!blk.equals(zeroBlock.subarray(0, blk.length))) visit(blk)
  }
}

/** The file's data ranges widened to STEP boundaries, read STEP bytes at a time (one buffer, reused). */
function* readDataSteps(file: string): Generator<Buffer> {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const ranges: Array<[number, number]> = []
    for (const [s, e] of dataRanges(fd, size)) {
      const s2 = Math.floor(s / STEP) * STEP
      const e2 = Math.min(size, Math.ceil(e / STEP) * STEP)
      const last = ranges[ranges.length - 1]
      if (last && s2 <= last[1]) last[1] = Math.max(last[1], e2)
      else ranges.push([s2, e2])
    }
    const buf = Buffer.allocUnsafe(STEP)
    for (const [s, e] of ranges) {
      for (let off = s; off < e; off += STEP) {
        const n = fs.readSync(fd, buf, 0, Math.min(STEP, e - off), off)
        yield buf.subarray(0, n)
      }
    }
  } finally {
    fs.closeSync(fd)
  }
}

/** A `zstd -LEVEL -T2 -c` child whose output is only counted. */
class CompressedCounter {
  private readonly child
  private outBytes = 0
  private readonly closed: Promise<number | null>

  constructor(level: number) {
    this.child = spawn('zstd', ['-q', `-${level}`, '-T2', '-c'], { stdio: ['pipe', 'pipe', 'inherit'] })
    this.child.stdout.on('data', (d: Buffer) => (this.outBytes += d.length))
    // A zstd that dies shows up as its exit status in finish(); the broken pipe alone must not throw.
    this.child.stdin.on('error', () => {})
    this.closed = new Promise((resolve, reject) => {
      this.child.on('error', reject)
      this.child.on('close', resolve)
    })
  }

  /** Copies the block: the caller's buffer is reused for the next read. */
  write(blk: Buffer): void {
    this.child.stdin.write(Buffer.from(blk))
  }

  drained(): Promise<void> {
    if (!this.child.stdin.writableNeedDrain) return Promise.resolve()
    return new Promise((resolve) => this.child.stdin.once('drain', resolve))
  }

  async finish(): Promise<number> {
    this.child.stdin.end()
    const code = await this.closed
    if (code !== 0) throw new Error(`zstd exited with ${code} while compressing the ideal delta`)
    return this.outBytes
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill()
  }
}
