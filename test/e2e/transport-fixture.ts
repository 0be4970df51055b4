/**
 * What the transport end-to-end tests share: real VM bundles made repositories, the CLI called with
 * --json, and the fingerprint two bundles are compared by (BLAKE3 of every file, allocated bytes).
 */
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { type MakeVmOptions, makeVm } from '../../bench/corpus/vm.js'
import { type RunResult, run, runOk } from '../helpers/cli.js'
import { allocatedBytes, blake3File } from '../helpers/sparse.js'
import { ENV } from './vm-repo.js'

export { ENV, MiB, assertCliError } from './vm-repo.js'

/** Runs the CLI in cwd with the test identity (and extra environment); the exit status is not checked. */
export function cli(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return run(args, { cwd, env: { ...ENV, ...env } })
}

/** Runs the CLI in cwd with the test identity and requires exit status 0. */
export function cliOk(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runOk(args, { cwd, env: { ...ENV, ...env } })
}

/** Runs the CLI with --json appended, requires exit status 0, and parses stdout (typed loosely: tests read many shapes). */
export async function cliJson(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<any> {
  return JSON.parse((await cliOk(cwd, [...args, '--json'], env)).stdout)
}

/** Makes a VM bundle in dir, makes it a repository and commits it; returns the commit id. */
export async function makeVmRepo(o: MakeVmOptions, message = 'first version'): Promise<string> {
  await makeVm(o)
  await cliOk(o.dir, ['init', '-q'])
  return (await cliJson(o.dir, ['commit', '-m', message])).id as string
}

export interface Fingerprint {
  /** BLAKE3 of each file of the bundle (not .ankagit), by name. */
  files: Record<string, string>
  /** Bytes the bundle's files occupy on disk (st_blocks). */
  allocated: number
}

export function fingerprint(dir: string): Fingerprint {
  const files: Record<string, string> = {}
  let allocated = 0
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === '.ankagit') continue
    const p = path.join(dir, name)
    files[name] = blake3File(p)
    allocated += allocatedBytes(p)
  }
  return { files, allocated }
}

/** The bundle in dir has exactly the files of `want`, byte for byte, and keeps its holes (allocated within 5%). */
export function assertSameBundle(dir: string, want: Fingerprint): void {
  const got = fingerprint(dir)
  assert.equal(got.files, want.files, `the files of '${dir}'`)
  assert.ok(Math.abs(got.allocated - want.allocated) <= want.allocated * 0.05, `holes kept in '${dir}': allocated ${got.allocated} vs ${want.allocated}`)
}
