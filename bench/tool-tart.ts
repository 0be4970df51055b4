/**
 * Tart's push strategy, simulated on the same data (Tart itself needs macOS): every file is cut into
 * fixed 512 MiB slices, each slice compressed on its own (LZ4 as Tart does, or zstd) and pushed as an
 * OCI layer; a slice is reused only when it is byte-identical to one the registry already holds.
 * Stored and sent are the compressed sizes of the slices that are new. A simulation has no wall
 * time worth comparing, so none is reported.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Blake3Hasher } from '@napi-rs/blake-hash'
import type { BackupTool, VersionCost } from './backup-tool.js'
import type { Version } from './presented-tree.js'

/** Tart's disk layer size. */
export const TART_SLICE = 512 * 2 ** 20
const READ = 4 * 2 ** 20

function* readSlice(fd: number, start: number, end: number, buf: Buffer): Generator<Buffer> {
  for (let off = start; off < end; off += READ) {
    const n = fs.readSync(fd, buf, 0, Math.min(READ, end - off), off)
    yield buf.subarray(0, n)
  }
}

/** Compressed size of one byte range through `cmd args` (reading it from the file, piping to the child). */
async function compressedSize(cmd: string, args: string[], fd: number, start: number, end: number, buf: Buffer): Promise<number> {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  let size = 0
  child.stdout.on('data', (d: Buffer) => (size += d.length))
  child.stdin.on('error', () => {})
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  for (const piece of readSlice(fd, start, end, buf)) {
    if (!child.stdin.write(Buffer.from(piece))) await new Promise((r) => child.stdin.once('drain', r))
  }
  child.stdin.end()
  const code = await closed
  if (code !== 0) throw new Error(`${cmd} exited with ${code} while compressing a slice`)
  return size
}

export function tartTool(codec: 'lz4' | 'zstd'): BackupTool {
  let known = new Set<string>()
  const [cmd, args] = codec === 'lz4' ? ['lz4', ['-1', '-q', '-c']] : ['zstd', ['-3', '-q', '-c']]
  return {
    id: `tart-${codec}`,
    label: `Tart strategy, simulated: 512 MiB slices, ${codec === 'lz4' ? 'LZ4 (lz4 -1)' : 'zstd -3'}, identical slices reused`,
    wireMethod: 'compressed new slices (simulated)',
    async init(): Promise<void> {
      known = new Set()
    },
    async record(v: Version): Promise<VersionCost> {
      const buf = Buffer.allocUnsafe(READ)
      let bytes = 0
      for (const rel of Object.keys(v.prints).sort()) {
        const fd = fs.openSync(path.join(v.dir, rel), 'r')
        try {
          const size = fs.fstatSync(fd).size
          const slices = Math.max(1, Math.ceil(size / TART_SLICE))
          for (let i = 0; i < slices; i++) {
            const start = i * TART_SLICE
            const end = Math.min(size, start + TART_SLICE)
            const hasher = new Blake3Hasher()
            for (const piece of readSlice(fd, start, end, buf)) hasher.update(piece)
            const id = hasher.digest('hex')
            if (known.has(id)) continue
            known.add(id)
            bytes += await compressedSize(cmd, args, fd, start, end, buf)
          }
        } finally {
          fs.closeSync(fd)
        }
      }
      return { storedBytes: bytes, wireBytes: bytes }
    },
  }
}
