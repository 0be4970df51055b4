/**
 * Applies an update plan without mounting, for machines that refuse loop mounts. Rewrites go
 * straight into the image at the blocks debugfs reports for each file (so they are in place,
 * as with the kernel); removals, folders and new files go through one `debugfs -w` script,
 * whose allocator places new files in free space. There is no journal traffic on this path.
 */
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { BLOCK, isZero, type ApplyResult } from './apply-result.js'
import { quotePath, readExtents, runDebugfs } from './debugfs.js'
import { MANIFEST_PATH, encodeManifest } from './manifest.js'
import { type RewriteFeed, type UpdatePlan } from './update-plan.js'

export async function applyWithDebugfs(image: string, plan: UpdatePlan, feed: RewriteFeed, time: number): Promise<ApplyResult> {
  const rewrittenBytes = await rewriteInImage(image, plan, feed)
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ankagit-apply-'))
  try {
    const manifestFile = path.join(dir, path.posix.basename(MANIFEST_PATH))
    await fsp.writeFile(manifestFile, encodeManifest(plan.manifest), { mode: 0o644 })
    await fsp.chmod(manifestFile, 0o644)
    const commands: string[] = []
    for (const f of plan.remove) commands.push(`rm ${quotePath(f.path)}`)
    for (const d of plan.newDirs) commands.push(`mkdir ${quotePath(d)}`)
    for (const f of plan.add) commands.push(...writeCommands(f.path, f.path))
    commands.push(`rm ${quotePath(MANIFEST_PATH)}`, ...writeCommands(manifestFile, MANIFEST_PATH))
    await runDebugfs(image, commands, { writable: true, time })
  } finally {
    await fsp.rm(dir, { recursive: true, force: true })
  }
  return { rewrittenBytes }
}

/** debugfs `write` links the new file into the current folder under a plain name, so change folder first. */
function writeCommands(hostPath: string, imagePath: string): string[] {
  return [`cd ${quotePath(path.posix.dirname(imagePath))}`, `write ${quotePath(hostPath)} ${quotePath(path.posix.basename(imagePath))}`]
}

/** Overwrites each rewritten file's non-zero blocks at their physical place, in the same order as the mount path. */
async function rewriteInImage(image: string, plan: UpdatePlan, feed: RewriteFeed): Promise<number> {
  const maps = await readExtents(image, plan.rewrite.map((f) => f.path))
  const fd = fs.openSync(image, 'r+')
  let written = 0
  try {
    const old = Buffer.alloc(BLOCK)
    for (const f of plan.rewrite) {
      const extents = [...(maps.get(f.path) ?? [])].sort((a, b) => a.logical - b.logical)
      for (const e of extents) {
        for (let i = 0; i < e.length; i++) {
          const off = (e.logical + i) * BLOCK
          if (off >= f.size) break
          const len = Math.min(BLOCK, f.size - off)
          const at = (e.physical + i) * BLOCK
          fs.readSync(fd, old, 0, len, at)
          if (isZero(old.subarray(0, len))) continue
          fs.writeSync(fd, await feed.take(len), 0, len, at)
          written += len
        }
      }
    }
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  return written
}
