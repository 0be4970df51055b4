/**
 * Decompression into one buffer per thread, reused, for readers that only look at the bytes before
 * the next frame arrives (verification hashes them; re-framing copies slices out). pack/zstd.ts's
 * decompressFrame returns a new buffer per frame: fine for a store read, but a worker verifying at
 * link speed then left ~2 MiB of garbage per frame that V8 frees only under external-memory
 * pressure (~64 MiB per isolate), and two workers and the main thread peaked at ~280 MiB RSS.
 * The checks are decompressFrame's: exactly one frame, its content size stated and at most
 * FRAME_RAW_MAX, and exactly that many bytes out (so a bomb stops at the stated size).
 */
import { createRequire } from 'node:module'
import type * as Binding from 'zstd-napi/binding.js'
import { CorruptObjectError } from '../errors.js'
import { FRAME_RAW_MAX } from '../pack/zstd.js'

const binding = createRequire(import.meta.url)('zstd-napi/binding') as typeof Binding

let dctx: Binding.DCtx | undefined
let scratch = Buffer.allocUnsafe(0)

/** The decompressed frame, in a buffer that the next call on this thread overwrites. */
export function decompressToScratch(frame: Uint8Array, what: string): Buffer {
  let size: number | null
  try {
    size = binding.getFrameContentSize(frame)
    if (binding.findFrameCompressedSize(frame) !== frame.length) throw new Error('trailing bytes after the frame')
  } catch (err) {
    throw new CorruptObjectError(`${what} is corrupt: ${(err as Error).message}`)
  }
  if (size === null || size > FRAME_RAW_MAX) throw new CorruptObjectError(`${what} is corrupt: frame size ${size ?? 'unknown'} refused`)
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, 4 << 20))
  dctx ??= new binding.DCtx()
  const dst = scratch.subarray(0, size)
  let n: number
  try {
    n = dctx.decompress(dst, frame)
  } catch (err) {
    throw new CorruptObjectError(`${what} is corrupt: ${(err as Error).message}`)
  }
  if (n !== size) throw new CorruptObjectError(`${what} is corrupt: frame gave ${n} bytes, header said ${size}`)
  return dst
}
