/**
 * The checkout part of the OS-update case, each run checked: v1 over v2 (only differing ranges are
 * written), v2 back over v1, and v1 into a folder whose bundle files were removed (everything is
 * written, the like-for-like counterpart of copying the VM), side by side with `cp --sparse=always`
 * of the same v1 files, and with that copy followed by `sync` of the copies: ankagit's checkout makes
 * the files durable (fsync) before it reports success, and cp alone does not. The first run of each is compared byte for byte (BLAKE3 of every file) with
 * the version it should produce, and its allocated size with the original's (holes kept).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { bundleFiles, fingerprintBundle, fingerprintDifferences, treeSize } from './bundle-facts.js'
import type { BenchContext } from './context.js'
import { runMeasured, shellQuote } from './measured-run.js'
import { type LoadedRun, type Step, stepFromRuns, withLoad } from './step.js'

export interface RoundTrip {
  /** Every checkout produced byte-identical files. */
  identical: boolean
  /** Allocated bytes after the full checkout of v1 ÷ allocated bytes of the original v1. */
  allocatedRatio: number
  allocatedAfter: number
  allocatedOriginal: number
}

export async function runCheckoutSteps(
  ctx: BenchContext,
  o: { vm: string; v1: string; v2Files: readonly string[]; repeat: number },
): Promise<{ steps: Step[]; roundTrip: RoundTrip; notes: string[] }> {
  const { cli, work } = ctx
  const v1Files = bundleFiles(o.v1)
  const v1Print = fingerprintBundle(o.v1)
  const v2Print = fingerprintBundle(o.vm)
  const notes: string[] = []
  let identical = true
  const check = (what: string, expected: Record<string, string>): void => {
    const diff = fingerprintDifferences(fingerprintBundle(o.vm), expected)
    if (diff.length > 0) {
      identical = false
      notes.push(`${what}: files differ from the committed version: ${diff.join(', ')}`)
    }
  }
  const cpDest = path.join(work, 'cp-target')
  const over: LoadedRun[] = []
  const back: LoadedRun[] = []
  const full: LoadedRun[] = []
  const cp: LoadedRun[] = []
  const cpSync: LoadedRun[] = []
  let allocatedAfter = 0
  for (let i = 0; i < o.repeat; i++) {
    over.push(await withLoad(() => cli.run(['checkout', 'v1'], { cwd: o.vm })))
    if (i === 0) check('checkout of v1 over v2', v1Print)
    fs.rmSync(cpDest, { recursive: true, force: true })
    fs.mkdirSync(cpDest)
    cp.push(await withLoad(() => runMeasured('cp', ['--sparse=always', ...v1Files, cpDest + '/'], { cwd: o.v1 })))
    fs.rmSync(cpDest, { recursive: true, force: true })
    fs.mkdirSync(cpDest)
    const copies = v1Files.map((f) => shellQuote(path.join(cpDest, f))).join(' ')
    const script = `cp --sparse=always ${v1Files.map(shellQuote).join(' ')} ${shellQuote(cpDest)}/ && sync -d ${copies}`
    cpSync.push(await withLoad(async () => ({ ...(await runMeasured('sh', ['-c', script], { cwd: o.v1 })), command: script })))
    back.push(await withLoad(() => cli.run(['checkout', 'main'], { cwd: o.vm })))
    if (i === 0) check('checkout of v2 over v1', v2Print)
    for (const f of o.v2Files) fs.rmSync(path.join(o.vm, f))
    full.push(await withLoad(() => cli.run(['checkout', '--force', 'v1'], { cwd: o.vm })))
    if (i === 0) {
      check('checkout of v1 into an emptied folder', v1Print)
      allocatedAfter = treeSize(o.vm, v1Files).allocatedBytes
    }
    await cli.run(['checkout', 'main'], { cwd: o.vm })
  }
  fs.rmSync(cpDest, { recursive: true, force: true })
  const allocatedOriginal = treeSize(o.v1, v1Files).allocatedBytes
  const steps = [
    stepFromRuns({ id: 'checkout-v1-over-v2', label: 'checkout of v1 over v2', tool: 'ankagit', cwd: o.vm }, over),
    stepFromRuns({ id: 'checkout-v2-over-v1', label: 'checkout of v2 over v1', tool: 'ankagit', cwd: o.vm }, back),
    stepFromRuns({ id: 'checkout-v1-full', label: 'checkout of v1 into an emptied folder', tool: 'ankagit', cwd: o.vm, extra: { allocatedBytes: allocatedAfter } }, full),
    stepFromRuns({ id: 'cp-v1', label: 'cp --sparse=always of v1', tool: 'cp', cwd: o.v1 }, cp),
    stepFromRuns({ id: 'cp-sync-v1', label: 'cp --sparse=always of v1, then sync of the copies', tool: 'cp', cwd: o.v1 }, cpSync),
  ]
  return { steps, roundTrip: { identical, allocatedRatio: allocatedAfter / allocatedOriginal, allocatedAfter, allocatedOriginal }, notes }
}
