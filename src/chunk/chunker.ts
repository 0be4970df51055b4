/**
 * The chunkers: where a file's bytes are cut into chunks. Two kinds behind one function (design § 3,
 * settled): aligned fixed-size blocks for disk and memory images, whose blocks are rewritten in place,
 * and FastCDC for everything else, where inserted bytes would shift fixed blocks. The kind and its
 * parameters are recorded in each file tree, and cut points are part of the format (pinned by
 * test/fixtures/chunker). Zeros are found before cutting: see splitter.ts. Figures: docs/chunking.md.
 */
import { InvalidArgumentError } from '../errors.js'
import { fastcdcCut } from './fastcdc.js'

/** Cut every `size` bytes, aligned to file offset 0. */
export interface FixedParams {
  kind: 'fixed'
  size: number
}

/** FastCDC with normalized chunking; `avg` is a power of two, min < avg < max. */
export interface CdcParams {
  kind: 'fastcdc'
  min: number
  avg: number
  max: number
}

export type ChunkerParams = FixedParams | CdcParams

/** No chunker may produce a larger chunk; readers may rely on it to bound buffers. */
export const CHUNK_MAX = 4 << 20

/** No parameter may ask for chunks (or a FastCDC minimum) smaller than this. */
export const CHUNK_MIN = 64

/**
 * 64 KiB blocks for disk and memory images. On two in-place updates of a real ext4 image they sent
 * 2-3% more new bytes than 32 KiB blocks and 5-10% more than 16 KiB, with half and a quarter of the
 * chunks (docs/chunking.md § Disk images).
 */
export const FIXED_DEFAULT: FixedParams = Object.freeze({ kind: 'fixed', size: 64 << 10 })

/**
 * FastCDC 16/64/256 KiB (casync's and desync's sizes): about as many chunks as 64 KiB fixed blocks, one
 * new 100 KiB chunk for 100 bytes inserted into a 390 MiB tar (docs/chunking.md § Archives).
 */
export const CDC_DEFAULT: CdcParams = Object.freeze({ kind: 'fastcdc', min: 16 << 10, avg: 64 << 10, max: 256 << 10 })

function isSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= CHUNK_MIN && n <= CHUNK_MAX
}

/** Returns p unchanged when it describes a chunker this version can run, else throws InvalidArgumentError. */
export function validateParams(p: ChunkerParams): ChunkerParams {
  const range = `an integer from ${CHUNK_MIN} to ${CHUNK_MAX}`
  if (p === null || typeof p !== 'object') throw new InvalidArgumentError(`invalid chunker params '${String(p)}'`)
  if (p.kind === 'fixed') {
    if (!isSize(p.size)) throw new InvalidArgumentError(`invalid fixed chunk size '${p.size}': must be ${range}`, { params: p })
    return p
  }
  if (p.kind === 'fastcdc') {
    for (const key of ['min', 'avg', 'max'] as const) {
      if (!isSize(p[key])) throw new InvalidArgumentError(`invalid fastcdc ${key} '${p[key]}': must be ${range}`, { params: p })
    }
    if ((p.avg & (p.avg - 1)) !== 0) {
      throw new InvalidArgumentError(`invalid fastcdc avg '${p.avg}': must be a power of two`, { params: p })
    }
    if (!(p.min < p.avg && p.avg < p.max)) {
      throw new InvalidArgumentError(`invalid fastcdc sizes '${p.min}/${p.avg}/${p.max}': need min < avg < max`, { params: p })
    }
    return p
  }
  throw new InvalidArgumentError(`unknown chunker kind '${String((p as { kind?: unknown }).kind)}'`, { params: p })
}

/**
 * Pure: length (1..buf.length) of the chunk that starts at buf[0], or -1 when buf may continue past
 * the cut and isEnd is false (the caller must supply more bytes, up to the params' maximum chunk size).
 * An empty buf gives 0 when isEnd, -1 otherwise. Same answer on every machine forever. A fixed cut
 * counts from buf[0]: aligning blocks to file offsets is the caller's job (createSplitter does it).
 * Params must have passed validateParams; this hot path does not check them.
 */
export function findCut(buf: Uint8Array, params: ChunkerParams, isEnd: boolean): number {
  if (params.kind === 'fixed') {
    if (buf.length >= params.size) return params.size
    return isEnd ? buf.length : -1
  }
  return fastcdcCut(buf, params.min, params.avg, params.max, isEnd)
}

/** Largest chunk these params can produce. */
export function maxChunkSize(params: ChunkerParams): number {
  return params.kind === 'fixed' ? params.size : params.max
}
