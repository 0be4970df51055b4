/**
 * Command-line options of `npm run bench` (node dist/bench/run.js). Sizes take K, M, G, T suffixes
 * (binary units), as the corpus CLI does.
 */
import * as os from 'node:os'
import * as path from 'node:path'
import { Command, InvalidArgumentError } from 'commander'
import { parseSize } from './corpus/cli.js'

export interface BenchOptions {
  /** Apparent size of the VM disk. */
  diskBytes: number
  /** Bytes of files put into its filesystem. */
  dataBytes: number
  /** Bytes of new and rewritten files in the in-place update. */
  changeBytes: number
  seed: number
  /** Timed steps run this many times; the report quotes medians. */
  repeat: number
  /** Start the disk from a Debian minbase (false: host files only, no mirror needed). */
  debian: boolean
  cacheDir: string
  /** Parent of the bench's own temporary folder. */
  workParent: string
  keep: boolean
  /** Where BENCHMARKS.md and BENCHMARKS.json go; undefined in quick mode (a new temporary folder then). */
  outDir: string | undefined
  quick: boolean
  /** Also the 64 GiB scaling point, git-lfs on every case, borg with 64 KiB chunks, and the full-size clone. */
  large: boolean
  /** Runs of each compared tool per version (their state is restored between runs). */
  toolRepeat: number
  /** Profile ankagit's slow steps with node --cpu-prof and summarize them in the report. */
  profile: boolean
  /** Sizes of the other cases. */
  suite: SuiteSizes
  /** Only re-render this BENCHMARKS.json into BENCHMARKS.md and charts (next to it, or in --out). */
  render?: string
}

export interface SuiteSizes {
  clone: { diskBytes: number; dataBytes: number; changeBytes: number }
  archiveBytes: number
  memory: { diskBytes: number; dataBytes: number; memoryBytes: number }
  /** Apparent disk sizes of the scaling runs. */
  scaling: number[]
}

const GiB = 2 ** 30
const MiB = 2 ** 20

// Each case runs every tool over its data, and tools that read holes (restic, casync, rsync) spend
// 3-6 s per GiB apparent here (2 shared cores): with 2 GiB clone and memory cases the default took
// 23 min, so the default keeps them at 1 GiB; --large runs the corpus sizes of design.md.
const SUITES: Record<'quick' | 'default' | 'large', SuiteSizes> = {
  quick: {
    clone: { diskBytes: 512 * MiB, dataBytes: 60 * MiB, changeBytes: 2 * MiB },
    archiveBytes: 32 * MiB,
    memory: { diskBytes: 256 * MiB, dataBytes: 20 * MiB, memoryBytes: 256 * MiB },
    scaling: [GiB / 4],
  },
  default: {
    clone: { diskBytes: GiB, dataBytes: 150 * MiB, changeBytes: 10 * MiB },
    archiveBytes: 278 * MiB,
    memory: { diskBytes: 512 * MiB, dataBytes: 50 * MiB, memoryBytes: GiB },
    scaling: [GiB],
  },
  large: {
    clone: { diskBytes: 8 * GiB, dataBytes: 650 * MiB, changeBytes: 10 * MiB },
    archiveBytes: 278 * MiB,
    memory: { diskBytes: 2 * GiB, dataBytes: 200 * MiB, memoryBytes: 2 * GiB },
    scaling: [GiB, 64 * GiB],
  },
}

// A 1 GiB disk with 120 MB of files runs issue 2's sequence in about a minute here: a smoke run.
const QUICK = { diskBytes: 2 ** 30, dataBytes: 120 * 2 ** 20, changeBytes: 20 * 2 ** 20, repeat: 2 }
// The corpus the team's figures use (design.md § 3): an 8 GiB disk with a Debian system, ~690 MiB allocated.
const FULL = { diskBytes: 8 * 2 ** 30, dataBytes: 650 * 2 ** 20, changeBytes: 100 * 2 ** 20, repeat: 3 }

function parseCount(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError(`invalid count '${text}': expected a positive integer`)
  return Number(text)
}

/** Parses argv (without node and script); `repoRoot` is where the report goes by default. */
export function parseBenchOptions(argv: readonly string[], repoRoot: string): BenchOptions {
  const program = new Command('bench')
    .description('ankagit benchmarks on a realistic VM corpus, side by side with zstd, cat and cp (see BENCHMARKS.md)')
    .option('--disk <size>', 'apparent disk size (default 8G; 1G with --quick)', parseSize)
    .option('--data <size>', 'bytes of files in the filesystem (default 650M; 120M with --quick)', parseSize)
    .option('--change <size>', 'bytes of new and rewritten files in the update (default 100M; 20M with --quick)', parseSize)
    .option('--seed <n>', 'corpus seed', parseCount, 1)
    .option('--repeat <n>', 'runs of each timed step; medians are quoted (default 3; 2 with --quick)', parseCount)
    .option('--quick', 'smoke run on a 1 GiB disk; the report goes to a new temporary folder unless --out is given')
    .option('--host-files', 'fill the disk from host files only, without the Debian base (no mirror needed)')
    .option('--cache <dir>', 'where the Debian base is kept', '/var/cache/ankagit-corpus')
    .option('--work <dir>', 'parent folder for the bench data (needs about 3 × the allocated disk size)', os.tmpdir())
    .option('--keep', 'keep the work folder')
    .option('--out <dir>', 'folder for BENCHMARKS.md and BENCHMARKS.json (default: the repository root)')
    .option('--large', 'add the 64 GiB scaling run, git-lfs on every case, borg with 64 KiB chunks and an 8 GiB clone')
    .option('--tool-repeat <n>', 'runs of each compared tool per version (default 1)', parseCount, 1)
    .option('--profile', 'profile ankagit commit, checkout and no-op commit with node --cpu-prof')
    .option('--render <json>', 'measure nothing: re-render a BENCHMARKS.json into BENCHMARKS.md and its charts')
    .exitOverride()
    .parse([...argv], { from: 'user' })
  const o = program.opts<{
    disk?: number
    data?: number
    change?: number
    seed: number
    repeat?: number
    quick?: boolean
    hostFiles?: boolean
    cache: string
    work: string
    keep?: boolean
    out?: string
    large?: boolean
    toolRepeat: number
    profile?: boolean
    render?: string
  }>()
  const base = o.quick ? QUICK : FULL
  const opts: BenchOptions = {
    diskBytes: o.disk ?? base.diskBytes,
    dataBytes: o.data ?? base.dataBytes,
    changeBytes: o.change ?? base.changeBytes,
    seed: o.seed,
    repeat: o.repeat ?? base.repeat,
    debian: !o.hostFiles,
    cacheDir: path.resolve(o.cache),
    workParent: path.resolve(o.work),
    keep: !!o.keep,
    outDir: o.out !== undefined ? path.resolve(o.out) : o.quick ? undefined : repoRoot,
    quick: !!o.quick,
    large: !!o.large,
    toolRepeat: o.toolRepeat,
    profile: !!o.profile,
    suite: SUITES[o.quick ? 'quick' : o.large ? 'large' : 'default'],
    render: o.render === undefined ? undefined : path.resolve(o.render),
  }
  if (opts.render !== undefined && o.out === undefined) opts.outDir = path.dirname(opts.render)
  if (opts.diskBytes % 4096 !== 0) throw new InvalidArgumentError(`invalid disk size '${opts.diskBytes}': must be a multiple of 4096`)
  if (opts.dataBytes >= opts.diskBytes * 0.8) throw new InvalidArgumentError(`data size '${opts.dataBytes}' does not fit a disk of '${opts.diskBytes}' bytes`)
  return opts
}
