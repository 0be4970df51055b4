/**
 * Temporary folders for tests that are removed when the process exits, also after a failed
 * assertion, an uncaught error or SIGINT/SIGTERM. Anything mounted inside one (a loop-mounted
 * disk image) is unmounted first, which also detaches its loop device, so removal never
 * deletes through a mount and no loop device is left behind.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { unmountUnderSync } from '../../bench/corpus/mounts.js'

const dirs: string[] = []
let hooked = false

/** A new empty folder under the system temp folder, named `<prefix>XXXXXX`. */
export function tmpDir(prefix = 'ankagit-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  dirs.push(dir)
  if (!hooked) hook()
  return dir
}

/** Unmounts and removes every folder made by tmpDir so far. Safe to call more than once. */
export function removeTmpDirs(): void {
  while (dirs.length > 0) {
    const dir = dirs.pop()!
    try {
      unmountUnderSync(dir)
    } catch {
      // A mount that cannot be undone even lazily must not be deleted through: leave the folder.
      continue
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function hook(): void {
  hooked = true
  process.on('exit', removeTmpDirs)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removeTmpDirs()
      // Re-raise with the default action so the exit status still says which signal ended us.
      process.kill(process.pid, signal)
    })
  }
}
