/** Test helper: runs a whole buffer through a splitter, fed in pieces of the given sizes (cycled). */
import type { ChunkerParams } from '../../../src/chunk/chunker.js'
import { createSplitter, type Extent } from '../../../src/chunk/splitter.js'

/** Data extents come back with copied bytes, so they outlive the splitter call that returned them. */
export function splitAll(params: ChunkerParams, input: Uint8Array, feedSizes: number[] = [1 << 20], startOffset = 0): Extent[] {
  const splitter = createSplitter(params, startOffset)
  const out: Extent[] = []
  const keep = (extents: Extent[]): void => {
    for (const e of extents) out.push(e.kind === 'hole' ? e : { ...e, bytes: Uint8Array.from(e.bytes) })
  }
  // Fed through one reused Buffer, as a file reader does, so a splitter that keeps a view is caught.
  const scratch = Buffer.alloc(Math.max(...feedSizes))
  let k = 0
  for (let p = 0; p < input.length;) {
    const n = Math.min(feedSizes[k++ % feedSizes.length]!, input.length - p)
    scratch.set(input.subarray(p, p + n))
    keep(splitter.push(scratch.subarray(0, n)))
    scratch.fill(0xee, 0, n)
    p += n
  }
  keep(splitter.end())
  return out
}

/** A compact, comparable description of extents: "h<offset>+<length>" or "d<offset>+<length>". */
export function shape(extents: Extent[]): string[] {
  return extents.map((e) => `${e.kind === 'hole' ? 'h' : 'd'}${e.offset}+${e.length}`)
}
