/**
 * The inserted-bytes case: a tar archive of real host files, and a copy with 100 bytes inserted
 * near its start, which shifts everything after them. Fixed-size chunks find nothing to reuse
 * after the insertion; content-defined chunking should resynchronise within a chunk or two.
 * The archive is plain ustar, written here so that it is the same on every run (no tar
 * version, user names or clock in it).
 */
import * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import { InvalidArgumentError } from '../../src/errors.js'
import { listHostFiles } from './host-files.js'
import { pickFiles } from './pick-files.js'
import { SeededBytes, SeededRandom } from './seeded-random.js'

export const INSERTED_BYTES = 100
const MTIME = 1_704_067_200

export async function makeInsertedArchive(dir: string, o: { seed: number; size: number }): Promise<{ base: string; changed: string }> {
  if (!(o.size > 4096)) throw new InvalidArgumentError(`invalid archive size '${o.size}': must be more than 4096 bytes`)
  await fsp.mkdir(dir, { recursive: true })
  const base = path.join(dir, 'base.tar')
  const changed = path.join(dir, 'changed.tar')
  // ustar names hold 100 bytes; longer host paths are left out rather than split into prefix fields.
  const pool = (await listHostFiles()).filter((f) => f.path.length <= 100)
  // A member takes a 512-byte header plus its data padded to 512; the archive ends with 1024 zero bytes.
  const members = pool.map((f) => ({ path: f.path, size: 512 + f.size + (-f.size & 511) }))
  const files = pickFiles(members, { bytes: o.size - 1024, seed: o.seed, label: 'archive' })
  const out = await fsp.open(base, 'w')
  try {
    let at = 0
    for (const f of files) {
      const data = await fsp.readFile(f.path)
      const member = Buffer.concat([ustarHeader(f.path.slice(1), data.length), data, Buffer.alloc(-data.length & 511)])
      await out.write(member, 0, member.length, at)
      at += member.length
    }
    await out.write(Buffer.alloc(1024), 0, 1024, at)
  } finally {
    await out.close()
  }
  await insertBytes(base, changed, o.seed)
  return { base, changed }
}

/** Copies from to to with INSERTED_BYTES seeded bytes inserted at a seeded offset within the first 64 KiB. */
async function insertBytes(from: string, to: string, seed: number): Promise<void> {
  const size = (await fsp.stat(from)).size
  const at = new SeededRandom(seed, 'insert-at').between(1024, Math.min(65536, size))
  const src = await fsp.open(from, 'r')
  const dst = await fsp.open(to, 'w')
  try {
    const buf = Buffer.alloc(1 << 20)
    const head = Buffer.alloc(at)
    await src.read(head, 0, at, 0)
    await dst.write(head)
    await dst.write(new SeededBytes(seed, 'inserted').take(INSERTED_BYTES))
    for (let off = at; off < size; off += buf.length) {
      const { bytesRead } = await src.read(buf, 0, buf.length, off)
      await dst.write(buf, 0, bytesRead)
    }
  } finally {
    await src.close()
    await dst.close()
  }
}

/** A POSIX ustar header for a regular root-owned file. */
function ustarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512)
  const field = (text: string, at: number, len: number) => h.write(text, at, len, 'latin1')
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0')
  field(name, 0, 100)
  field(octal(0o644, 8), 100, 8)
  field(octal(0, 8), 108, 8)
  field(octal(0, 8), 116, 8)
  field(octal(size, 12), 124, 12)
  field(octal(MTIME, 12), 136, 12)
  field('0', 156, 1)
  field('ustar\0', 257, 6)
  field('00', 263, 2)
  field('root', 265, 32)
  field('root', 297, 32)
  h.fill(0x20, 148, 156)
  let sum = 0
  for (const b of h) sum += b
  field(octal(sum, 7) + '\0', 148, 8)
  return h
}
