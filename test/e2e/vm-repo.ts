/**
 * Shared set-up of the plumbing end-to-end tests: a real VM bundle (sparse ext4 disk made by
 * mkfs.ext4 -d, config, nvram; bench/corpus/vm.ts), made a repository with two commits, the second
 * after an in-place change of the filesystem; and the checks every error case shares.
 */
import * as assert from 'uvu/assert'
import { makeVm, updateVmInPlace } from '../../bench/corpus/vm.js'
import { type RunResult, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'

export const MiB = 1 << 20

/** A fixed identity, so commits and tags do not depend on who runs the tests. */
export const ENV = { ANKAGIT_AUTHOR_NAME: 'Ada Tester', ANKAGIT_AUTHOR_EMAIL: 'ada@example.com' }

export interface VmRepo {
  dir: string
  /** The first and second commit on main. */
  c1: string
  c2: string
  run: (args: string[]) => Promise<RunResult>
}

export async function vmRepo(prefix: string, seed = 1): Promise<VmRepo> {
  const dir = tmpDir(`ankagit-${prefix}-`)
  await makeVm({ dir, diskSize: 32 * MiB, dataBytes: 2 * MiB, seed, memorySize: MiB })
  const opts = { cwd: dir, env: ENV }
  await runOk(['init', '-q'], opts)
  const c1 = JSON.parse((await runOk(['commit', '-m', 'first version', '--json'], opts)).stdout).id as string
  await updateVmInPlace(dir, { seed: seed + 100, changeBytes: 512 * 1024, method: 'debugfs' })
  const c2 = JSON.parse((await runOk(['commit', '-m', 'second version\n\nwith a body', '--json'], opts)).stdout).id as string
  return { dir, c1, c2, run: (args) => runOk(args, opts) }
}

/** An error as the CLI promises it: the exit status, and one stderr line 'ankagit: ...' without a stack trace. */
export function assertCliError(r: RunResult, code: number, message: RegExp): void {
  assert.is(r.code, code, `exit status (stderr: ${r.stderr})`)
  const lines = r.stderr.split('\n').filter((l) => l !== '')
  assert.is(lines.length, 1, `one stderr line, got: ${r.stderr}`)
  assert.match(lines[0]!, /^ankagit: /)
  assert.match(lines[0]!, message)
  assert.not.match(r.stderr, /\n\s+at /)
}
