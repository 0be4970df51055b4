/**
 * zstd through zstd-napi's low-level binding, because its high-level Compressor allocates a new
 * output buffer per call (5x slower here). One context per thread, output buffers reused; the calls
 * are synchronous, so heavy compression runs in worker threads (src/chunk/pool.ts), never on a
 * daemon's event loop.
 */
import type * as Binding from 'zstd-napi/binding.js'
import { CorruptObjectError } from '../errors.js'
import { lazyRequire } from '../lazy-require.js'

// The binding is CommonJS without an exports map, so ESM reaches it through require; loaded on
// first use so commands that never compress or decompress do not pay for it.
const zstd = lazyRequire<typeof Binding>('zstd-napi/binding')

/** Level 3 on 2 MiB frames of a real ext4 image: 277 MB/s per core and 1.017x the size of compressing the
 * whole stream; level 1 was 453 MB/s but 1.14x (docs/FORMAT.md § Frames has the table). */
export const ZSTD_LEVEL_DEFAULT = 3
/** No frame may claim to decompress to more than this: a decompression bomb is refused up front. */
export const FRAME_RAW_MAX = 16 << 20

let cctx: Binding.CCtx | undefined
let cctxLevel = -1
let dctx: Binding.DCtx | undefined
let out = Buffer.allocUnsafe(0)

/** Compresses src into one zstd frame and returns a copy (the scratch buffer is reused). */
export function compressFrame(src: Uint8Array, level = ZSTD_LEVEL_DEFAULT): Buffer {
  const binding = zstd()
  if (!cctx) cctx = new binding.CCtx()
  if (cctxLevel !== level) {
    cctx.setParameter(binding.CParameter.compressionLevel, level)
    cctx.setParameter(binding.CParameter.contentSizeFlag, 1)
    cctxLevel = level
  }
  const bound = binding.compressBound(src.length)
  if (out.length < bound) out = Buffer.allocUnsafe(Math.max(bound, 4 << 20))
  const n = cctx.compress2(out, src)
  return Buffer.from(out.subarray(0, n))
}

let scratch = Buffer.allocUnsafe(0)

/**
 * Decompresses one whole zstd frame; refuses frames that are malformed, oversized or not exactly one
 * frame, and stops a bomb at the size its header states. With `scratch`, the bytes land in a buffer
 * this thread reuses, valid until its next scratch call: a worker verifying at link speed otherwise
 * left ~2 MiB of garbage per frame, and two workers and the main thread peaked at ~280 MiB RSS.
 */
export function decompressFrame(frame: Uint8Array, what: string, o: { scratch?: boolean; into?: Uint8Array } = {}): Buffer {
  const binding = zstd()
  // A skippable frame passed the checks below as an empty frame: only a zstd data frame is a frame here.
  if (frame.length < 4 || Buffer.from(frame.buffer, frame.byteOffset, 4).readUInt32LE(0) !== binding.MAGICNUMBER) {
    throw new CorruptObjectError(`${what} is corrupt: not a zstd frame`)
  }
  let size: number | null
  try {
    size = binding.getFrameContentSize(frame)
    if (binding.findFrameCompressedSize(frame) !== frame.length) throw new Error('trailing bytes after the frame')
  } catch (err) {
    throw new CorruptObjectError(`${what} is corrupt: ${(err as Error).message}`)
  }
  if (size === null || size > FRAME_RAW_MAX) throw new CorruptObjectError(`${what} is corrupt: frame size ${size ?? 'unknown'} refused`)
  if (!dctx) dctx = new binding.DCtx()
  if (o.scratch && scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, 4 << 20))
  // `into`: the caller's buffer, reused across frames (a fresh 2 MiB buffer per frame cost page faults
  // and GC: ~3 s of system time in a 1.1 GB checkout); too small, and the frame gets its own.
  const into = o.into && o.into.length >= size ? Buffer.from(o.into.buffer, o.into.byteOffset, size) : undefined
  const dst = into ?? (o.scratch ? scratch.subarray(0, size) : Buffer.allocUnsafe(size))
  let n: number
  try {
    n = dctx.decompress(dst, frame)
  } catch (err) {
    throw new CorruptObjectError(`${what} is corrupt: ${(err as Error).message}`)
  }
  if (n !== size) throw new CorruptObjectError(`${what} is corrupt: frame gave ${n} bytes, header said ${size}`)
  return dst
}
