/**
 * Finding and undoing mounts below a folder, so that cleanup never deletes through a mounted
 * filesystem and never leaves a loop device attached (`mount -o loop` detaches it on umount).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { execFileSync } from 'node:child_process'
import { runCommand } from './command.js'

/** Mount points at or below dir, deepest first. /proc/self/mounts escapes spaces and tabs as octal. */
export function mountsUnder(dir: string): string[] {
  const root = path.resolve(dir)
  let text: string
  try {
    text = fs.readFileSync('/proc/self/mounts', 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .map((line) => line.split(' ')[1])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === root || p.startsWith(root + '/'))
    .sort((a, b) => b.length - a.length)
}

/** Unmounts everything at or below dir; falls back to a lazy unmount for a busy mount. */
export async function unmountUnder(dir: string): Promise<void> {
  for (const mnt of mountsUnder(dir)) {
    try {
      await runCommand('umount', [mnt])
    } catch {
      await runCommand('umount', ['-l', mnt])
    }
  }
}

/** The synchronous twin of unmountUnder, for process-exit handlers where nothing asynchronous runs. */
export function unmountUnderSync(dir: string): void {
  for (const mnt of mountsUnder(dir)) {
    try {
      execFileSync('umount', [mnt], { stdio: 'ignore' })
    } catch {
      execFileSync('umount', ['-l', mnt], { stdio: 'ignore' })
    }
  }
}
