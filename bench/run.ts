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
import { writeCharts } from './charts.js'
import { runArchiveCase } from './archive-case.js'
import { runCloneCase } from './clone-case.js'
import type { BenchContext, CaseResult } from './context.js'
import { describeMachine, loadAverage, toolVersions } from './machine.js'
import { runMemoryCase } from './memory-case.js'
import { runScalingCase } from './scaling-case.js'
import { runTransferScalingCase } from './transfer-scaling-case.js'
import { shellQuote } from './measured-run.js'
import { type BenchOptions, parseBenchOptions } from './options.js'
import { runOsUpdateCase } from './os-update-case.js'
import type { BenchReport } from './report.js'
import { renderMarkdown } from './report-markdown.js'
import { renderTable } from './report-table.js'
import { COMPETITOR_TOOLS, ensureTools, shortVersion } from './tools.js'

/** dist/bench/run.js → the repository root. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

const TOOLS: Record<string, [string, string[]]> = {
  zstd: ['zstd', ['--version']],
  cp: ['cp', ['--version']],
  cat: ['cat', ['--version']],
  'mkfs.ext4': ['mke2fs', ['-V']],
  python3: ['python3', ['--version']],
}

const started = Date.now()

function log(line: string): void {
  process.stderr.write(`bench [${Math.round((Date.now() - started) / 1000)} s]: ${line}\n`)
}

/** Writes BENCHMARKS.md, BENCHMARKS.json and the charts into outDir. */
function writeReport(report: BenchReport, outDir: string): void {
  fs.mkdirSync(outDir, { recursive: true })
  fs.writeFileSync(path.join(outDir, 'BENCHMARKS.json'), JSON.stringify(report, null, 1) + '\n')
  const charts = writeCharts(report, outDir)
  fs.writeFileSync(path.join(outDir, 'BENCHMARKS.md'), renderMarkdown(report, charts))
}

const CASES: Array<{ id: string; title: string; run: (ctx: BenchContext) => Promise<CaseResult> }> = [
  { id: 'os-update', title: 'OS update in place', run: runOsUpdateCase },
  { id: 'clone', title: 'Clone with a few files changed', run: runCloneCase },
  { id: 'archive', title: '100 bytes inserted in an archive', run: runArchiveCase },
  { id: 'memory', title: 'Suspended VM memory image changed between two suspends', run: runMemoryCase },
  { id: 'scaling', title: 'Scaling with disk size', run: runScalingCase },
  { id: 'transfer-scaling', title: 'Requests per transfer against history and chunk count', run: runTransferScalingCase },
]

/** Runs every case in a folder of its own, removed afterwards; a case that fails is reported, and the others still run. */
async function runCases(opts: BenchOptions, work: string, competitors: BenchContext['competitors']): Promise<CaseResult[]> {
  const cli = new AnkagitCli(REPO_ROOT)
  const cases: CaseResult[] = []
  for (const c of CASES) {
    const caseWork = path.join(work, c.id)
    fs.mkdirSync(caseWork)
    try {
      cases.push(await c.run({ opts, work: caseWork, cli, log, competitors, earlier: cases }))
    } catch (err) {
      log(`${c.id} failed: ${(err as Error).message}`)
      cases.push({ id: c.id, title: c.title, description: '', corpus: {}, steps: [], targets: [], notes: [`the case failed: ${(err as Error).message}`] })
    } finally {
      await unmountUnder(caseWork)
      if (!opts.keep) fs.rmSync(caseWork, { recursive: true, force: true })
    }
  }
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
  if (opts.render !== undefined) {
    const report = JSON.parse(fs.readFileSync(opts.render, 'utf8')) as BenchReport
    writeReport(report, opts.outDir!)
    process.stdout.write(renderTable(report) + '\n')
    return 0
  }
  const startedAt = new Date()
  const loadBefore = loadAverage()
  const work = fs.mkdtempSync(path.join(opts.workParent, 'ankagit-bench-'))
  log(`work folder ${work}; load ${loadBefore.join(' ')}`)
  try {
    // Before any VM is made: installing changes /usr, which the corpus draws its files from.
    const setup = await ensureTools(Object.keys(COMPETITOR_TOOLS), log)
    for (const p of setup.problems) log(p)
    const competitorCommands = Object.fromEntries(Object.entries(COMPETITOR_TOOLS).map(([n, t]): [string, [string, string[]]] => [n, [t.command, t.versionArgs]]))
    const versionLines = toolVersions(competitorCommands)
    const competitors = { available: setup.available, versions: Object.fromEntries(Object.entries(versionLines).map(([n, line]) => [n, shortVersion(n, line)])) }
    const machine = describeMachine(work, { ...TOOLS, ...competitorCommands })
    const cases = await runCases(opts, work, competitors)
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
      toolsInstalled: setup.installed,
      cases,
    }
    // A quick run is a smoke test: its report must not replace the published one.
    const outDir = opts.outDir ?? fs.mkdtempSync(path.join(opts.workParent, 'ankagit-bench-report-'))
    writeReport(report, outDir)
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
