/**
 * The chunker tests' input: deterministic bytes from a seeded PRNG, laid out to exercise what the
 * chunkers must get right. Part of the golden test: changing it changes every table in
 * test/fixtures/chunker (the tables pin its hash, so such a change fails loudly, not subtly).
 */

/** mulberry32: a small 32-bit PRNG, deterministic everywhere. */
export function prng(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (t ^ (t >>> 14)) >>> 0
  }
}

export function randomBytes(next: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i += 4) {
    const v = next()
    out[i] = v & 0xff
    if (i + 1 < length) out[i + 1] = (v >>> 8) & 0xff
    if (i + 2 < length) out[i + 2] = (v >>> 16) & 0xff
    if (i + 3 < length) out[i + 3] = v >>> 24
  }
  return out
}

/** Low-entropy text: words from a 64-word vocabulary, as in logs and source files. */
function textBytes(next: () => number, length: number): Uint8Array {
  const words: string[] = []
  for (let w = 0; w < 64; w++) {
    const n = 2 + (next() % 9)
    words.push(Array.from({ length: n }, () => String.fromCharCode(97 + (next() % 26))).join(''))
  }
  const parts: string[] = []
  let size = 0
  while (size < length) {
    const word = words[next() % 64]! + (next() % 12 === 0 ? '\n' : ' ')
    parts.push(word)
    size += word.length
  }
  return new TextEncoder().encode(parts.join('')).subarray(0, length)
}

/** The regions of the test input, in order: [description, bytes]. */
export function testInputRegions(seed = 1): Array<[string, Uint8Array]> {
  const next = prng(seed)
  const random1 = randomBytes(next, 1 << 20)
  return [
    ['1 MiB random', random1],
    ['3000 zeros (shorter than any min: stays data)', new Uint8Array(3000)],
    ['512 KiB text', textBytes(next, 512 << 10)],
    ['200 KiB zeros (a hole for both chunkers)', new Uint8Array(200 << 10)],
    ['700 KiB random', randomBytes(next, 700 << 10)],
    ['500 KiB of the first region again, shifted', random1.slice(200 << 10, 700 << 10)],
    ['20000 zeros (a fastcdc hole at min 16 KiB)', new Uint8Array(20000)],
    ['1 MiB zeros', new Uint8Array(1 << 20)],
    ['300 KiB random', randomBytes(next, 300 << 10)],
    ['12345 random (the file ends off any block boundary)', randomBytes(next, 12345)],
  ]
}

/** The whole test input (about 4.2 MiB). */
export function testInput(seed = 1): Uint8Array {
  const regions = testInputRegions(seed)
  const out = new Uint8Array(regions.reduce((n, [, b]) => n + b.length, 0))
  let p = 0
  for (const [, b] of regions) {
    out.set(b, p)
    p += b.length
  }
  return out
}
