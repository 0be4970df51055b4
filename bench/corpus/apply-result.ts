/** What applying an update plan reports, and the block test both apply paths share. */

/** ext4 block size of every corpus image (mkfs.ext4 -b 4096). */
export const BLOCK = 4096

const ZERO_BLOCK = Buffer.alloc(BLOCK)

export interface ApplyResult {
  /** Bytes written over existing blocks of rewritten files. */
  rewrittenBytes: number
}

/** True when every byte of b (at most one block) is zero. */
export function isZero(b: Uint8Array): boolean {
  return Buffer.compare(b, ZERO_BLOCK.subarray(0, b.length)) === 0
}
