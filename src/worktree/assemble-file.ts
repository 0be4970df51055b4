/**
 * Writes a file of the working tree from its file tree. Given the tree the file holds now (`base`),
 * it writes only the chunks that differ at their offsets and punches holes where data became zeros,
 * so a checkout of a small change to a 100 GB disk writes a few MiB. Holes are never written: the
 * file is sized with ftruncate and stays sparse.
 */
import * as fs from 'node:fs'
import type { ProgressOptions } from '../options.js'
import { fromFsError, throwIfAborted } from '../errors.js'
import type { ObjectId } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import type { FramePool } from '../pack/frame-pool.js'
import { readChunks } from './chunk-reader.js'
import { diffFileTrees } from '../objects/file-extents.js'
import { punchHole } from '../chunk/sparse.js'
import { isAllZero } from '../chunk/zeros.js'
import { crashPoint } from '../crash-points.js'
import { writeFully } from '../store/local.js'

/**
 * Bytes written between background flushes of the file to disk. The file is synced before checkout
 * counts it written; with every dirty page left to that one fsync, it took ~330 ms of a 690 MiB
 * checkout's 1.05 s. Started every 64 MiB while decompression goes on, it left little for the end:
 * 0.74-0.81 s, and a clone 3.2 -> 2.9 s.
 */
const SYNC_EVERY = 64 << 20

export interface AssembleOptions extends ProgressOptions {
  store: ObjectStore
  /** Worker threads that decompress and verify the chunks (chunk-reader.ts). */
  pool: FramePool
  path: string
  target: ObjectId
  /** File tree the file holds now, when known and trusted (clean in the index); otherwise it is rewritten. */
  base?: ObjectId
  size: number
  mode: number
}

export interface AssembleResult {
  bytesWritten: number
  chunksWritten: number
  bytesPunched: number
}

export async function assembleFile(o: AssembleOptions): Promise<AssembleResult> {
  const exists = fs.existsSync(o.path)
  const base = exists ? o.base : undefined
  const result: AssembleResult = { bytesWritten: 0, chunksWritten: 0, bytesPunched: 0 }
  let fh: fs.promises.FileHandle | undefined
  // One background datasync at a time (SYNC_EVERY). Its failure is kept and thrown at the end: Linux
  // reports a writeback error to one fsync only, so the final one would not see it again.
  let syncing: Promise<void> | undefined
  let syncFailed: { err: unknown } | undefined
  let syncedAt = 0
  try {
    // Without a trusted base the old bytes are unknown: start from an empty (all-hole) file.
    // O_NOFOLLOW: a symbolic link put where a VM file goes is refused (ELOOP), never written through.
    const { O_RDWR, O_CREAT, O_TRUNC, O_NOFOLLOW } = fs.constants
    fh = await fs.promises.open(o.path, (base ? O_RDWR : O_RDWR | O_CREAT | O_TRUNC) | O_NOFOLLOW, o.mode)
    await fh.truncate(o.size)
    // Chunks contiguous in the file go out in one write; each frame's buffer is released once written.
    const write = async (run: Buffer[], at: number) => {
      // A fresh file is all holes: zero pages inside chunks stay holes too (a memory image is full of them).
      if (base) await writeFully(fh!, run, at)
      else for (const [pos, parts] of nonZeroRuns(run, at)) await writeFully(fh!, parts, pos)
      crashPoint('assemble-batch-written')
      result.bytesWritten += run.reduce((a, b) => a + b.length, 0)
      if (result.bytesWritten - syncedAt >= SYNC_EVERY && !syncing) {
        syncedAt = result.bytesWritten
        const started: Promise<void> = fh!.datasync().then(
          () => {
            if (syncing === started) syncing = undefined
          },
          (err: unknown) => {
            syncFailed ??= { err }
          },
        )
        syncing = started
      }
    }
    for await (const item of readChunks(o.store, o.pool, diffFileTrees(o.store, base, o.target, o), o)) {
      throwIfAborted(o.signal)
      if (item.kind === 'hole') {
        const c = item.change
        if (!punchHole(fh.fd, c.offset, c.length)) await writeZeros(fh, c.offset, c.length)
        result.bytesPunched += c.length
        continue
      }
      let run: Buffer[] = []
      let runStart = 0
      let runEnd = -1
      for (const { change: c, body } of item.pieces) {
        if (c.offset !== runEnd && run.length) {
          await write(run, runStart)
          run = []
        }
        if (run.length === 0) runStart = c.offset
        run.push(body)
        runEnd = c.offset + c.length
        result.chunksWritten++
      }
      if (run.length) await write(run, runStart)
      item.release()
      o.onProgress?.({ phase: 'checkout', done: runEnd, total: o.size, unit: 'bytes' })
    }
    o.onProgress?.({ phase: 'checkout', done: o.size, total: o.size, unit: 'bytes' })
    await syncing
    if (syncFailed) throw syncFailed.err
    await fh.sync()
    await fh.chmod(o.mode)
    return result
  } catch (err) {
    throw fromFsError(err, `'${o.path}'`)
  } finally {
    await syncing
    await fh?.close()
  }
}

/** Page size of the holes kept inside chunks: the filesystem block size on Linux and macOS. */
const PAGE = 4096

/** The batch (bytes laid out from `start`) as runs that are not all-zero pages, each with its offset. */
function nonZeroRuns(batch: Buffer[], start: number): Array<[number, Buffer[]]> {
  const runs: Array<[number, Buffer[]]> = []
  let runEnd = -1
  let pos = start
  for (const buf of batch) {
    let from = -1 // where the current non-zero stretch of this buffer began
    const close = (to: number) => {
      if (from < 0) return
      const part = buf.subarray(from, to)
      if (runEnd === pos + from) runs.at(-1)![1].push(part)
      else runs.push([pos + from, [part]])
      runEnd = pos + to
      from = -1
    }
    for (let i = 0; i < buf.length; ) {
      // Page boundaries are file offsets, so a chunk that does not start on one begins with a partial page.
      const end = Math.min(buf.length, i + PAGE - ((pos + i) % PAGE))
      if (isAllZero(buf, i, end)) close(i)
      else if (from < 0) from = i
      i = end
    }
    close(buf.length)
    pos += buf.length
  }
  return runs
}

async function writeZeros(fh: fs.promises.FileHandle, offset: number, length: number): Promise<void> {
  const zeros = Buffer.alloc(Math.min(length, 1 << 20))
  for (let done = 0; done < length; ) {
    const n = Math.min(zeros.length, length - done)
    await writeFully(fh, [zeros.subarray(0, n)], offset + done)
    done += n
  }
}
