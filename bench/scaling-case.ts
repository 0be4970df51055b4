/**
 * Time and peak RSS of ankagit's commit, checkout (into an emptied folder) and fsck as the disk
 * grows: 1 GiB by default, 64 GiB with --large, plus the main case's 8 GiB figures. The data grows
 * with the disk at the main corpus's share (650 MB per 8 GiB), up to 3 GiB: the host has ~4 GiB of
 * files to draw from.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { makeVm } from './corpus/vm.js'
import { bundleFiles, treeSize } from './bundle-facts.js'
import type { BenchContext, CaseResult, ScalingPoint } from './context.js'
import { formatBytes } from './format.js'
import { type LoadedRun, type Step, type Target, stepFromRuns, withLoad } from './step.js'

const GiB = 2 ** 30
const MiB = 2 ** 20
const DATA_SHARE = (650 * MiB) / (8 * GiB)
const DATA_CAP = 3 * GiB

/** Bytes of files for a disk of this apparent size. */
export function scaledData(diskBytes: number): number {
  return Math.min(DATA_CAP, Math.round((diskBytes * DATA_SHARE) / MiB) * MiB)
}

const SIZE_LABEL = (bytes: number) => formatBytes(bytes).replace(/\.0+ /, ' ')

async function measurePoint(ctx: BenchContext, diskBytes: number): Promise<{ point: ScalingPoint; steps: Step[] }> {
  const { cli, opts } = ctx
  const dir = path.join(ctx.work, `disk-${diskBytes}`)
  const label = SIZE_LABEL(diskBytes)
  ctx.log(`scaling: ${label} disk with ${formatBytes(scaledData(diskBytes))} of files`)
  await makeVm({ dir, diskSize: diskBytes, dataBytes: scaledData(diskBytes), seed: opts.seed + 40, debian: opts.debian, cacheDir: opts.cacheDir })
  try {
    const files = bundleFiles(dir)
    const size = treeSize(dir, files)
    // Above 8 GiB one run each: a 64 GiB commit takes minutes here.
    const repeat = diskBytes > 8 * GiB ? 1 : opts.repeat
    const runs: Record<string, LoadedRun[]> = { commit: [], checkout: [], fsck: [] }
    for (let i = 0; i < repeat; i++) {
      fs.rmSync(path.join(dir, '.ankagit'), { recursive: true, force: true })
      await cli.run(['init', '-q'], { cwd: dir })
      runs.commit!.push(await withLoad(() => cli.run(['commit', '-m', 'v1'], { cwd: dir })))
      for (const f of files) fs.rmSync(path.join(dir, f))
      runs.checkout!.push(await withLoad(() => cli.run(['checkout', '--force', 'main'], { cwd: dir })))
      runs.fsck!.push(await withLoad(() => cli.run(['fsck'], { cwd: dir })))
    }
    const steps = Object.entries(runs).map(([id, r]) => stepFromRuns({ id: `${id}-${diskBytes}`, label: `${id}, ${label} disk`, tool: 'ankagit', cwd: dir }, r))
    const figures = Object.fromEntries(Object.keys(runs).map((id, i) => [id, { seconds: steps[i]!.seconds.median, peakRssBytes: steps[i]!.peakRssBytes }]))
    return { point: { apparentBytes: size.bytes, allocatedBytes: size.allocatedBytes, figures }, steps }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The main case's figures for its own disk size, so that size is not measured twice. */
function pointFromMainCase(ctx: BenchContext): ScalingPoint | undefined {
  const main = ctx.earlier?.find((c) => c.id === 'os-update')
  const step = (id: string) => main?.steps.find((s) => s.id === id)
  const commit = step('commit-v1')
  const checkout = step('checkout-v1-full')
  const fsck = step('fsck')
  if (!main || !commit || !checkout || !fsck) return undefined
  const fig = (s: Step) => ({ seconds: s.seconds.median, peakRssBytes: s.peakRssBytes })
  return {
    apparentBytes: main.corpus.apparentBytes!.value as number,
    allocatedBytes: main.corpus.allocatedV1!.value as number,
    figures: { commit: fig(commit), checkout: fig(checkout), fsck: fig(fsck) },
    from: 'os-update',
  }
}

export async function runScalingCase(ctx: BenchContext): Promise<CaseResult> {
  const points: ScalingPoint[] = []
  const steps: Step[] = []
  for (const size of ctx.opts.suite.scaling) {
    const r = await measurePoint(ctx, size)
    points.push(r.point)
    steps.push(...r.steps)
  }
  const main = pointFromMainCase(ctx)
  if (main) points.push(main)
  points.sort((a, b) => a.apparentBytes - b.apparentBytes)
  const peak = Math.max(...points.flatMap((p) => Object.values(p.figures).map((f) => f.peakRssBytes)))
  const targets: Target[] = [
    {
      id: 'peak-rss-every-size',
      text: 'peak RSS ≤ 200 MiB for commit, checkout and fsck at every disk size',
      measured: points.map((p) => `${SIZE_LABEL(p.apparentBytes)}: ${formatBytes(Math.max(...Object.values(p.figures).map((f) => f.peakRssBytes)))}`).join(', '),
      ratio: peak / (200 * MiB),
      holds: peak <= 200 * MiB,
    },
  ]
  return {
    id: 'scaling',
    title: 'Scaling with disk size',
    description: `ankagit's commit of a new VM, checkout of it into an emptied folder, and fsck, for disks of ${points.map((p) => SIZE_LABEL(p.apparentBytes)).join(', ')} apparent.`,
    corpus: Object.fromEntries(points.map((p) => [`allocated${p.apparentBytes}`, { label: `allocated, ${SIZE_LABEL(p.apparentBytes)} disk${p.from ? ` (from the ${p.from} case)` : ''}`, value: p.allocatedBytes, unit: 'bytes' as const }])),
    steps,
    targets,
    scaling: points,
    notes: [],
  }
}
