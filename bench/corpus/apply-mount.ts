/**
 * Applies an update plan through the kernel: `mount -o loop`, ordinary file operations, umount.
 * ext4 overwrites allocated blocks where they are, allocates new files into free space and
 * journals its metadata, as in a running VM. The loop device is detached by umount, also when
 * the update fails half-way.
 */
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { runCommand } from './command.js'
import { MANIFEST_PATH, encodeManifest } from './manifest.js'
import { unmountUnder } from './mounts.js'
import { BLOCK, isZero, type ApplyResult } from './apply-result.js'
import { type RewriteFeed, type UpdatePlan } from './update-plan.js'

/** The kernel refused the loop mount (no loop devices, no privilege, a container): the caller may use debugfs instead. */
export class MountRefusedError extends Error {
  constructor(image: string, options: { cause: unknown }) {
    super(`cannot loop-mount '${image}': ${(options.cause as Error)?.message ?? String(options.cause)}`, options)
    this.name = 'MountRefusedError'
  }
}

export async function applyWithMount(image: string, plan: UpdatePlan, feed: RewriteFeed, time: number): Promise<ApplyResult> {
  const mnt = await fsp.mkdtemp(path.join(os.tmpdir(), 'ankagit-mnt-'))
  try {
    try {
      await runCommand('mount', ['-o', 'loop', image, mnt])
    } catch (err) {
      throw new MountRefusedError(image, { cause: err })
    }
    try {
      return await applyToTree(mnt, plan, feed, time)
    } finally {
      await unmountUnder(mnt)
    }
  } finally {
    await fsp.rmdir(mnt)
  }
}

async function applyToTree(root: string, plan: UpdatePlan, feed: RewriteFeed, time: number): Promise<ApplyResult> {
  let rewritten = 0
  for (const f of plan.rewrite) rewritten += await rewriteFile(path.join(root, f.path), f.size, feed)
  for (const f of plan.remove) await fsp.unlink(path.join(root, f.path))
  for (const d of plan.newDirs) {
    await fsp.mkdir(path.join(root, d))
    await fsp.chmod(path.join(root, d), 0o755)
  }
  for (const f of plan.add) copySparse(f.path, path.join(root, f.path), time)
  await fsp.writeFile(path.join(root, MANIFEST_PATH), encodeManifest(plan.manifest))
  return { rewrittenBytes: rewritten }
}

/** Replaces every non-zero 4 KiB block with bytes from the feed, in place; returns bytes written. Synchronous calls: see memory-image.ts. */
async function rewriteFile(file: string, size: number, feed: RewriteFeed): Promise<number> {
  const fd = fs.openSync(file, 'r+')
  let written = 0
  try {
    const old = Buffer.alloc(BLOCK)
    for (let off = 0; off < size; off += BLOCK) {
      const len = Math.min(BLOCK, size - off)
      fs.readSync(fd, old, 0, len, off)
      if (isZero(old.subarray(0, len))) continue
      fs.writeSync(fd, await feed.take(len), 0, len, off)
      written += len
    }
  } finally {
    fs.closeSync(fd)
  }
  return written
}

/** Copies a host file leaving its zero blocks as holes, as mkfs -d and debugfs write do. */
function copySparse(from: string, to: string, time: number): void {
  const st = fs.statSync(from)
  const src = fs.openSync(from, 'r')
  const dst = fs.openSync(to, 'wx', 0o600)
  try {
    const buf = Buffer.alloc(1 << 20)
    for (let off = 0; off < st.size; off += buf.length) {
      const n = fs.readSync(src, buf, 0, buf.length, off)
      for (let b = 0; b < n; b += BLOCK) {
        const block = buf.subarray(b, Math.min(b + BLOCK, n))
        if (!isZero(block)) fs.writeSync(dst, block, 0, block.length, off + b)
      }
    }
    fs.ftruncateSync(dst, st.size)
    fs.fchmodSync(dst, st.mode & 0o7777)
    fs.futimesSync(dst, time, time)
  } finally {
    fs.closeSync(src)
    fs.closeSync(dst)
  }
}
