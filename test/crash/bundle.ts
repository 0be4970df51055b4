/**
 * Small seeded VM bundles for crash and concurrency tests: a sparse disk image with incompressible
 * extents (so a commit makes two data packs and a metadata pack), a config, an nvram file and a
 * file in a subfolder. Version 2 rewrites part of the disk in place, punches one extent back to a
 * hole, adds a file, changes one and removes one, so commit and checkout exercise every kind of
 * change. Real ext4 bundles (bench/corpus) take ~10 s each to make; these take ~0.1 s, which is what
 * lets a test run dozens of kill points.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { execFileSync } from 'node:child_process'
import { makeSparseFile, blake3File } from '../helpers/sparse.js'
import { SeededBytes } from '../../bench/corpus/seeded-random.js'

export const MiB = 1 << 20

/** 24 MiB of random data: above PACK_TARGET (16 MiB), so commits save more than one data pack. */
const V1_EXTENTS = [0, 3, 7, 12, 20, 31, 40, 55].map((at, i) => ({ offset: at * 4 * MiB, length: 3 * MiB, seed: 100 + i }))

export function writeVersion1(dir: string): void {
  fs.mkdirSync(path.join(dir, 'Data'), { recursive: true })
  makeSparseFile(path.join(dir, 'disk.img'), 256 * MiB, V1_EXTENTS)
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ cpu: 2, memory: '4G', version: 1 }, null, 2) + '\n')
  fs.writeFileSync(path.join(dir, 'nvram.bin'), new SeededBytes(7, 'nvram').take(256 << 10))
  fs.writeFileSync(path.join(dir, 'Data', 'notes.txt'), 'first version\n')
}

/** Changes a version-1 bundle into version 2 in place, as a VM writes its disk. */
export function writeVersion2(dir: string): void {
  const disk = path.join(dir, 'disk.img')
  const fd = fs.openSync(disk, 'r+')
  try {
    // Two extents rewritten where they are, one grown into a hole, one turned back into zeros.
    for (const [i, seed] of [[1, 201], [5, 205]] as const) fs.writeSync(fd, new SeededBytes(seed, 'v2').take(3 * MiB), 0, 3 * MiB, V1_EXTENTS[i]!.offset)
    fs.writeSync(fd, new SeededBytes(206, 'v2').take(2 * MiB), 0, 2 * MiB, 200 * MiB)
    fs.writeSync(fd, Buffer.alloc(3 * MiB), 0, 3 * MiB, V1_EXTENTS[6]!.offset)
  } finally {
    fs.closeSync(fd)
  }
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ cpu: 4, memory: '8G', version: 2 }, null, 2) + '\n')
  fs.rmSync(path.join(dir, 'nvram.bin'))
  makeSparseFile(path.join(dir, 'Data', 'extra.img'), 16 * MiB, [{ offset: 4 * MiB, length: 2 * MiB, seed: 300 }])
}

/** BLAKE3 of every bundle file by bundle path (not .ankagit): equal maps mean equal bundles. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (abs: string, rel: string) => {
    for (const name of fs.readdirSync(abs).sort()) {
      if (rel === '' && name === '.ankagit') continue
      const p = path.join(abs, name)
      const r = rel ? `${rel}/${name}` : name
      if (fs.lstatSync(p).isDirectory()) walk(p, r)
      else out[r] = blake3File(p)
    }
  }
  walk(dir, '')
  return out
}

/** Copies a folder with holes kept (cp -a --sparse=always): a fresh copy of a prepared repository
 *  per case. Inodes change, so the copy's index is stale until the next status or commit. */
export function copyTree(from: string, to: string): void {
  execFileSync('cp', ['-a', '--sparse=always', from, to])
}
