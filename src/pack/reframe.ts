/**
 * Re-framing (PROTOCOL.md § 6.4): the wanted bodies of partly wanted stored frames, concatenated and
 * compressed into one new frame. Used when sending a whole stored frame would waste more than half of
 * it; CPU-bound, so it runs on a FramePool worker thread.
 */
import { compressFrame, decompressFrame } from './zstd.js'

export interface ReframeSource {
  /** A stored compressed frame to take bodies from... */
  data?: Uint8Array
  /** ...or bodies already decompressed (objects not yet in a saved pack). */
  raw?: Uint8Array
  /** Pairs of offset and length inside the decompressed source, in the order wanted. */
  slices: number[]
}

/** The new frame: the slices of every source, in order, compressed at level. */
export function reframe(sources: readonly ReframeSource[], level: number, what: string): Buffer {
  let total = 0
  for (const s of sources) for (let i = 1; i < s.slices.length; i += 2) total += s.slices[i]!
  const raw = Buffer.allocUnsafe(total)
  let pos = 0
  for (const s of sources) {
    const src = s.raw ?? decompressFrame(s.data!, what, { scratch: true })
    for (let i = 0; i < s.slices.length; i += 2) {
      const offset = s.slices[i]!
      const length = s.slices[i + 1]!
      raw.set(src.subarray(offset, offset + length), pos)
      pos += length
    }
  }
  return compressFrame(raw, level)
}
