#!/usr/bin/env node
/**
 * `npm run bench`: ankagit on a realistic VM corpus, side by side with the tools it is measured
 * against, in one run on this machine. Prints a table, writes BENCHMARKS.md and BENCHMARKS.json.
 *
 *   node dist/bench/run.js [--disk 8G --data 650M --change 100M] [--repeat 3] [--quick] [--keep] [--out DIR]
 *
 * Exits 0 when the run completed, whether or not every target held (the report says which did
 * not); 1 when a step failed; 2 on a usage error.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CommanderError } from 'commander'
import { unmountUnder } from './corpus/mounts.js'
import { AnkagitCli } from './ankagit-cli.js'
import type { CaseResult } from './context.js'
import { describeMachine, loadAverage } from './machine.js'
import { shellQuote } from './measured-run.js'
import { type BenchOptions, parseBenchOptions } from './options.js'
import { runOsUpdateCase } from './os-update-case.js'
import type { BenchReport } from './report.js'
import { renderMarkdown } from './report-markdown.js'
import { renderTable } from './report-table.js'

/** dist/bench/run.js → the repository root. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

const TOOLS: Record<string, [string, string[]]> = {
  zstd: ['zstd', ['--version']],
  cp: ['cp', ['--version']],
  cat: ['cat', ['--version']],
  'mkfs.ext4': ['mke2fs', ['-V']],
  python3: ['python3', ['--version']],
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`)
}

async function runCases(opts: BenchOptions, work: string): Promise<CaseResult[]> {
  const cli = new AnkagitCli(REPO_ROOT)
  const cases: CaseResult[] = []
  const osWork = path.join(work, 'os-update')
  fs.mkdirSync(osWork)
  cases.push(await runOsUpdateCase({ opts, work: osWork, cli, log }))
  return cases
}

async function main(argv: string[]): Promise<number> {
  let opts: BenchOptions
  try {
    opts = parseBenchOptions(argv, REPO_ROOT)
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
    process.stderr.write(`bench: ${(err as Error).message}\n`)
    return 2
  }
  const startedAt = new Date()
  const loadBefore = loadAverage()
  const work = fs.mkdtempSync(path.join(opts.workParent, 'ankagit-bench-'))
  log(`work folder ${work}; load ${loadBefore.join(' ')}`)
  try {
    const machine = describeMachine(work, TOOLS)
    const cases = await runCases(opts, work)
    const report: BenchReport = {
      schema: 1,
      startedAt: startedAt.toISOString(),
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      invocation: ['npm', 'run', 'bench', ...(argv.length > 0 ? ['--', ...argv] : [])].map(shellQuote).join(' '),
      options: opts,
      work,
      machine,
      loadBefore,
      loadAfter: loadAverage(),
      cases,
    }
    // A quick run is a smoke test: its report must not replace the published one.
    const outDir = opts.outDir ?? fs.mkdtempSync(path.join(opts.workParent, 'ankagit-bench-report-'))
    fs.mkdirSync(outDir, { recursive: true })
    fs.writeFileSync(path.join(outDir, 'BENCHMARKS.json'), JSON.stringify(report, null, 1) + '\n')
    fs.writeFileSync(path.join(outDir, 'BENCHMARKS.md'), renderMarkdown(report))
    process.stdout.write(renderTable(report) + '\n\n')
    log(`wrote ${path.join(outDir, 'BENCHMARKS.md')} and BENCHMARKS.json in ${report.seconds.toFixed(0)} s`)
    return 0
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n`)
    if (process.env.ANKAGIT_DEBUG === '1') process.stderr.write(`${(err as Error).stack}\n`)
    return 1
  } finally {
    await unmountUnder(work)
    if (opts.keep) log(`kept ${work}`)
    else fs.rmSync(work, { recursive: true, force: true })
  }
}

process.exitCode = await main(process.argv.slice(2))
