/** What every benchmark case gets: the options, its own work folder, the ankagit CLI and a progress logger. */
import type { AnkagitCli } from './ankagit-cli.js'
import type { BenchOptions } from './options.js'
import type { ProfileSummary } from './cpu-profile.js'
import type { ToolSeries } from './series.js'
import type { ChunkPoint, HistoryPoint } from './transfer-scaling-case.js'
import type { Step, Target } from './step.js'

export interface BenchContext {
  opts: BenchOptions
  /** A folder of the case's own under the bench's work folder. */
  work: string
  cli: AnkagitCli
  /** One progress line on stderr (the bench is a program; the library never prints). */
  log: (line: string) => void
  /** The compared tools that can run here, and their short version names ("restic 0.14.0"). */
  competitors: { available: ReadonlySet<string>; versions: Record<string, string> }
  /** Cases that ran before this one, whose figures a later case may reuse. */
  earlier?: readonly CaseResult[]
}

/** One disk size of the scaling runs. */
export interface ScalingPoint {
  apparentBytes: number
  allocatedBytes: number
  /** Step id ('commit', 'checkout', 'fsck') → median seconds and peak RSS. */
  figures: Record<string, { seconds: number; peakRssBytes: number }>
  /** The point was taken from another case's run rather than measured again. */
  from?: string
}

/** Every tool over the same versions of one case, with the ideal each version is held against. */
export interface Comparison {
  versions: string[]
  /** Per version: the 64 KiB-aligned ideal (zstd -3 of the blocks found in no earlier version). */
  ideal: Record<string, number>
  /** ankagit first. */
  tools: ToolSeries[]
  /** Tools left out, and why. */
  skipped: string[]
}

/** One labelled figure; `unit` says how to print a number. */
export interface Fact {
  label: string
  value: number | string
  unit?: 'bytes' | 'seconds'
}

export interface CaseResult {
  id: string
  title: string
  /** What the data is and how it changed, for the report. */
  description: string
  /** Facts about the data: sizes, counts, how the change was made, the ideal delta. */
  corpus: Record<string, Fact>
  steps: Step[]
  targets: Target[]
  comparison?: Comparison
  scaling?: ScalingPoint[]
  /** HTTP requests per transfer against history length and chunk count. */
  transferScaling?: { history: HistoryPoint[]; chunks: ChunkPoint[] }
  /** With --profile: where ankagit's slow steps spend their CPU. */
  profiles?: ProfileSummary[]
  /** Observations worth reading next to the figures. */
  notes: string[]
}
