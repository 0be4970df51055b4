/**
 * Makes and checks the ext4 filesystem of a VM disk. `mkfs.ext4 -d` copies a staged tree into a
 * sparse image; what it would otherwise make different on every run is pinned: the UUID and
 * directory hash seed (from the seed), libext2fs's clock (E2FSPROGS_FAKE_TIME), and the inode
 * atime/ctime that mkfs copies from the staging folder (set afterwards with debugfs).
 */
import { createHash } from 'node:crypto'
import * as fsp from 'node:fs/promises'
import { runCommand } from './command.js'
import { listFolders, runDebugfs } from './debugfs.js'
import type { SourceTree } from './source-tree.js'

/** 2024-01-01T00:00:00Z: the corpus's epoch; each seed and phase lands on its own day after it. */
const EPOCH = 1_704_067_200

/** The clock value used for a seed's phase ('make', 'update', ...), identical on every run. */
export function corpusTime(seed: number, phase: string): number {
  const offset = createHash('sha256').update(`${seed}:${phase}`).digest().readUInt32LE(0) % 3600
  return EPOCH + (seed % 10_000) * 86_400 + offset
}

/** A version-4-shaped UUID derived from seed and label. */
export function seededUuid(seed: number, label: string): string {
  const b = createHash('sha256').update(`uuid:${seed}:${label}`).digest().subarray(0, 16)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

export interface Ext4ImageOptions {
  /** Image file to create; must not exist. */
  image: string
  /** Apparent size in bytes (a multiple of 4096). */
  size: number
  source: SourceTree
  seed: number
  signal?: AbortSignal
}

export async function makeExt4Image(o: Ext4ImageOptions): Promise<void> {
  const fh = await fsp.open(o.image, 'wx')
  try {
    await fh.truncate(o.size)
  } finally {
    await fh.close()
  }
  const time = corpusTime(o.seed, 'make')
  const uuid = seededUuid(o.seed, 'fs')
  await runCommand(
    'mkfs.ext4',
    ['-q', '-F', '-b', '4096', '-U', uuid, '-E', `hash_seed=${seededUuid(o.seed, 'hash')},root_owner=0:0`, '-L', 'vmroot', '-d', o.source.dir, o.image],
    { env: { E2FSPROGS_FAKE_TIME: String(time) }, signal: o.signal },
  )
  await pinTimes(o.image, o.source, time, o.signal)
  // mkfs zeroes the journal and inode tables with fallocate(ZERO_RANGE), which leaves them
  // allocated on the host (unwritten extents); fallocate --dig-holes skips those. A sparse copy
  // drops them: a 256 MiB test disk went from 59.7 MB allocated to 43.5 MB.
  const sparse = `${o.image}.sparse`
  try {
    await runCommand('cp', ['--sparse=always', o.image, sparse], { signal: o.signal })
    await fsp.rename(sparse, o.image)
  } finally {
    await fsp.rm(sparse, { force: true })
  }
}

/**
 * mkfs copies atime and ctime from the staging folder, where the kernel set them to "now".
 * Files keep their host mtime (stable per host); folders, symlinks and devices get the corpus
 * clock for all three. Inodes are addressed by number: a path lookup per command made pinning
 * 25k files take 30 s, numbers take well under one.
 */
async function pinTimes(image: string, tree: SourceTree, time: number, signal?: AbortSignal): Promise<void> {
  const t = `@${time}`
  const entries = await listFolders(image, ['/', ...tree.dirs], signal)
  const commands: string[] = [`sif <2> atime ${t}`, `sif <2> ctime ${t}`, `sif <2> mtime ${t}`]
  for (const e of entries) {
    commands.push(`sif <${e.ino}> atime ${t}`, `sif <${e.ino}> ctime ${t}`)
    if ((e.mode & 0o170000) !== 0o100000) commands.push(`sif <${e.ino}> mtime ${t}`)
  }
  await runDebugfs(image, commands, { writable: true, time, signal })
}

/** Runs `e2fsck -fn`; resolves when the filesystem is clean, rejects with e2fsck's complaint otherwise. */
export async function checkExt4Image(image: string, signal?: AbortSignal): Promise<void> {
  await runCommand('e2fsck', ['-fn', image], { signal })
}
