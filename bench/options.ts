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
}

// A 1 GiB disk with 120 MB of files runs the whole sequence in about a minute here: a smoke run.
const QUICK = { diskBytes: 2 ** 30, dataBytes: 120 * 2 ** 20, changeBytes: 20 * 2 ** 20, repeat: 2 }
// The corpus the team's figures use (design.md § 3): an 8 GiB disk with a Debian system, ~650 MB allocated.
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
  }
  if (opts.diskBytes % 4096 !== 0) throw new InvalidArgumentError(`invalid disk size '${opts.diskBytes}': must be a multiple of 4096`)
  if (opts.dataBytes >= opts.diskBytes * 0.8) throw new InvalidArgumentError(`data size '${opts.dataBytes}' does not fit a disk of '${opts.diskBytes}' bytes`)
  return opts
}
