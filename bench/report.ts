/**
 * The whole result of one bench run, as written to BENCHMARKS.json (and rendered into BENCHMARKS.md
 * and the console table). Bytes are exact integers, times are seconds.
 */
import type { CaseResult } from './context.js'
import type { Machine } from './machine.js'
import type { BenchOptions } from './options.js'

export interface BenchReport {
  /** Bumped when a field changes meaning. */
  schema: 1
  startedAt: string
  seconds: number
  /** The command line that produced this report. */
  invocation: string
  options: BenchOptions
  /** The bench's work folder; commands in the report run under it. */
  work: string
  machine: Machine
  loadBefore: [number, number, number]
  loadAfter: [number, number, number]
  /** Debian packages this run installed (the compared tools that were missing). */
  toolsInstalled: string[]
  cases: CaseResult[]
}
