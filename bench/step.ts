/**
 * One measured step of a benchmark case (a tool doing one job, run several times) and one target
 * (a figure held against its limit). Both go into the table, BENCHMARKS.md and BENCHMARKS.json.
 */
import { loadAverage } from './machine.js'
import type { MeasuredRun } from './measured-run.js'
import { type Samples, samplesOf } from './samples.js'

export interface Step {
  /** Stable key for the JSON, e.g. 'commit-v1'. */
  id: string
  /** What was done, e.g. 'commit of v1 (new VM)'. */
  label: string
  tool: string
  /** The exact command line of the first run, and the folder it ran in. */
  command: string
  cwd: string
  seconds: Samples
  /** User plus system CPU time of each run: less sensitive to the load than wall time. */
  cpuSeconds: Samples
  /** The highest peak RSS over the runs. */
  peakRssBytes: number
  /** The 1-minute load average just before each run. */
  load: number[]
  bytesStored?: number
  bytesOnWire?: number
  /** Anything else worth keeping: counters the tool printed, output sizes. */
  extra?: Record<string, number | string | boolean>
}

export interface Target {
  id: string
  /** The target as the issue states it. */
  text: string
  /** The measured figure, readable. */
  measured: string
  /** measured ÷ limit where the target is a ratio or bound; under 1 means it holds for "at most" targets. */
  ratio?: number
  holds: boolean
}

/** A run together with the load the machine had when it started. */
export interface LoadedRun extends MeasuredRun {
  load1: number
}

/** Calls run() and records the 1-minute load average seen just before it. */
export async function withLoad(run: () => Promise<MeasuredRun>): Promise<LoadedRun> {
  const load1 = loadAverage()[0]
  return { ...(await run()), load1 }
}

export function stepFromRuns(
  s: { id: string; label: string; tool: string; cwd: string; bytesStored?: number; bytesOnWire?: number; extra?: Step['extra'] },
  runs: readonly LoadedRun[],
): Step {
  if (runs.length === 0) throw new Error(`step '${s.id}' has no runs`)
  return {
    ...s,
    command: runs[0]!.command,
    seconds: samplesOf(runs.map((r) => r.seconds)),
    cpuSeconds: samplesOf(runs.map((r) => r.userSeconds + r.systemSeconds)),
    peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
    load: runs.map((r) => r.load1),
  }
}
