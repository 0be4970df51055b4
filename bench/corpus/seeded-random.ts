/**
 * Seeded randomness for the corpus: the same seed and label give the same numbers and bytes on
 * every run, so a corpus made twice on one host is byte-identical. Decisions use SplitMix32
 * (small, fast, good enough to pick files); bulk bytes use the AES-256-CTR keystream, which runs
 * at GB/s with AES-NI where a JavaScript generator managed a few hundred MB/s.
 */
import { createCipheriv, createHash } from 'node:crypto'

/** A deterministic stream of decisions, named by seed and label so that independent uses never share a sequence. */
export class SeededRandom {
  private state: number

  constructor(seed: number, label: string) {
    this.state = createHash('sha256').update(`${seed}:${label}`).digest().readUInt32LE(0)
  }

  /** A uniform 32-bit unsigned integer (SplitMix32). */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) | 0
    let z = this.state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1)
      const t = out[i]!
      out[i] = out[j]!
      out[j] = t
    }
    return out
  }
}

/** A deterministic, incompressible byte stream for a seed and label (AES-256-CTR keystream). */
export class SeededBytes {
  private readonly cipher

  constructor(seed: number, label: string) {
    const key = createHash('sha256').update(`bytes:${seed}:${label}`).digest()
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16))
  }

  /** The next `length` bytes of the stream. */
  take(length: number): Buffer {
    return this.cipher.update(Buffer.alloc(length))
  }
}

/** `length` seeded bytes: shorthand for a single draw from a fresh SeededBytes. */
export function seededBytes(seed: number, label: string, length: number): Buffer {
  return new SeededBytes(seed, label).take(length)
}
