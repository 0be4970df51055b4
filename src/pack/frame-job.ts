/**
 * The jobs FramePool runs, as they cross to a worker thread: a frame table flattened into one
 * buffer of ids and typed arrays, and the function that runs a job (in the worker, or inline).
 */
import * as fs from 'node:fs'
import { CorruptObjectError, fromFsError } from '../errors.js'
import { type ObjectKind, OBJECT_KINDS } from '../objects/id.js'
import type { FrameObject } from './frame.js'
import { kindCode } from './pack-index.js'
import { verifyFrame } from './verify-frame.js'
import { type ReframeSource, reframe } from './reframe.js'

/** Where a stored frame lies in a local pack file, for a worker to read it itself (no bytes cross threads). */
export interface FrameFile {
  path: string
  offset: number
  length: number
}

export interface FlatTable {
  ids: Uint8Array
  kinds: Uint8Array
  offsets: Uint32Array
  lengths: Uint32Array
}

export type FrameJob =
  | { type: 'verify'; data?: Uint8Array; file?: FrameFile; table: FlatTable; what: string; keepRaw: boolean; into?: Uint8Array }
  | { type: 'reframe'; sources: readonly ReframeSource[]; level: number; what: string }

/** `data` is the job's frame, handed back (it was transferred to the worker); `out` the job's result. */
export type FrameJobReply = { type: 'verified' | 'reframed'; out?: Uint8Array; data?: Uint8Array }

export function encodeTable(objects: readonly FrameObject[]): FlatTable {
  const n = objects.length
  const t: FlatTable = { ids: new Uint8Array(n * 32), kinds: new Uint8Array(n), offsets: new Uint32Array(n), lengths: new Uint32Array(n) }
  objects.forEach((o, i) => {
    t.ids.set(o.id, i * 32)
    t.kinds[i] = kindCode(o.kind)
    t.offsets[i] = o.offset
    t.lengths[i] = o.length
  })
  return t
}

export function decodeTable(t: FlatTable): FrameObject[] {
  const ids = Buffer.from(t.ids.buffer, t.ids.byteOffset, t.ids.length)
  return Array.from(t.kinds, (k, i) => ({ id: ids.subarray(i * 32, i * 32 + 32), kind: OBJECT_KINDS[k] as ObjectKind, offset: t.offsets[i]!, length: t.lengths[i]! }))
}

/** Runs one job; `out` is the raw frame (verify with keepRaw) or the new frame (reframe). The buffers
 *  to transfer back are those that own their whole ArrayBuffer (never a slice of a shared pool). */
export function runFrameJob(job: FrameJob): { reply: FrameJobReply; transfer: ArrayBuffer[] } {
  let reply: FrameJobReply
  if (job.type === 'verify') {
    const data = job.data ?? readFrameFile(job.file!, job.what)
    const raw = verifyFrame(data, decodeTable(job.table), job.what, job.keepRaw, job.into)
    const handBack = job.data ? { data: job.data } : {}
    reply = job.keepRaw ? { type: 'verified', out: raw, ...handBack } : { type: 'verified', ...handBack }
  } else {
    reply = { type: 'reframed', out: reframe(job.sources, job.level, job.what) }
  }
  const transfer: ArrayBuffer[] = []
  const lent = job.type === 'verify' ? job.into?.buffer : undefined
  for (const b of [reply.out, reply.data]) {
    // Whole buffers, and the caller's `into` buffer even when the frame filled only part of it.
    const whole = b && ((b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) || b.buffer === lent)
    if (b && whole && !transfer.includes(b.buffer as ArrayBuffer)) transfer.push(b.buffer as ArrayBuffer)
  }
  return { reply, transfer }
}

let fileScratch = Buffer.allocUnsafe(0)

/** The frame's compressed bytes, read on this thread into a buffer it reuses (valid until the next read). */
function readFrameFile(f: FrameFile, what: string): Buffer {
  if (fileScratch.length < f.length) fileScratch = Buffer.allocUnsafe(Math.max(f.length, 2 << 20))
  let fd: number
  try {
    fd = fs.openSync(f.path, 'r')
  } catch (err) {
    throw fromFsError(err, what)
  }
  try {
    let done = 0
    while (done < f.length) {
      const n = fs.readSync(fd, fileScratch, done, f.length - done, f.offset + done)
      if (n === 0) throw new CorruptObjectError(`${what} is corrupt: the pack ends inside the frame`)
      done += n
    }
  } finally {
    fs.closeSync(fd)
  }
  return fileScratch.subarray(0, f.length)
}
