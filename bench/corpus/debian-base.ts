/**
 * A minimal Debian bookworm root filesystem (debootstrap --variant=minbase), made once and kept
 * under a cache folder. It needs the debootstrap package and the Debian mirror; the mirror is
 * debootstrap's own default, so nothing here names a host.
 */
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import { runCommand } from './command.js'

const SUITE = 'bookworm'

/** Path of the cached root filesystem, making it first if absent. A half-made tree is never reused: it is renamed into place only when complete. */
export async function ensureDebianBase(cacheDir: string, signal?: AbortSignal): Promise<string> {
  const done = path.join(cacheDir, `debian-${SUITE}-minbase`)
  if (fs.existsSync(done)) return done
  await fsp.mkdir(cacheDir, { recursive: true })
  const work = await fsp.mkdtemp(path.join(cacheDir, `.debian-${SUITE}-`))
  try {
    // mkdtemp makes the folder 0700, and `cp -a` later carries the root's mode into the image.
    await fsp.chmod(work, 0o755)
    await runCommand('debootstrap', ['--variant=minbase', SUITE, work], { signal })
    // Drop what a booted system regenerates anyway and what differs on every run (apt lists, logs, caches).
    for (const p of ['var/cache/apt/archives', 'var/lib/apt/lists', 'var/log', 'var/cache/debconf']) {
      await fsp.rm(path.join(work, p), { recursive: true, force: true })
      await fsp.mkdir(path.join(work, p), { recursive: true, mode: 0o755 })
    }
    await fsp.rename(work, done)
  } catch (err) {
    await fsp.rm(work, { recursive: true, force: true })
    throw err
  }
  return done
}
