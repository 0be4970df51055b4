/**
 * A real small filesystem for full-disk tests: a tmpfs of a given size mounted by the test (CI runs
 * as root), a filler file that leaves exactly the free space wanted, and the check that a command
 * failed the way ankagit promises on ENOSPC (exit 11, one line `ankagit: no space left on device`).
 */
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { execFileSync } from 'node:child_process'
import type { RunResult } from './cli.js'
import { tmpDir } from './tmp.js'

/** Mounts a tmpfs of `size` bytes at a new folder; returns it and an unmount function. */
export function smallFilesystem(size: number): { dir: string; unmount: () => void } {
  const dir = path.join(tmpDir('ankagit-enospc-'), 'fs')
  fs.mkdirSync(dir)
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir])
  return { dir, unmount: () => execFileSync('umount', ['-l', dir]) }
}

export function freeBytes(dir: string): number {
  return fs.statfsSync(dir).bavail * fs.statfsSync(dir).bsize
}

/** Fills the filesystem with a filler file until exactly `free` bytes are left; returns the filler's path. */
export function leaveFree(fsDir: string, free: number): string {
  const filler = path.join(fsDir, 'filler')
  fs.rmSync(filler, { force: true })
  const fill = freeBytes(fsDir) - free
  if (fill > 0) fs.writeFileSync(filler, Buffer.alloc(fill, 1))
  assert.is(freeBytes(fsDir), Math.max(free, 0), 'filler left the wanted free space')
  return filler
}

/** Exit 11 and one line `ankagit: no space left on device ...` (`who` matches what follows, e.g. the registry). */
export function assertNoSpaceError(r: RunResult, context: string, message = /^ankagit: no space left on device/): void {
  assert.is(r.code, 11, `${context}: exit ${r.code ?? r.signal}, stderr: ${r.stderr}`)
  const lines = r.stderr.trim().split('\n')
  assert.is(lines.length, 1, `${context}: one line of error, got: ${r.stderr}`)
  assert.match(lines[0]!, message, `${context}: ${lines[0]}`)
}
