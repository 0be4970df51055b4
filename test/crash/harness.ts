/**
 * Runs a CLI command under fault injection (src/crash-points.ts) and checks what a crash must leave:
 * a repository fsck passes, refs that name only present objects. The schedule of kills comes from a
 * traced dry run of the same command on the same data: every point it reaches, at its first, last
 * and a seeded middle hit (every hit with ANKAGIT_SOAK=1, for `npm run soak`).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as assert from 'uvu/assert'
import { run, runOk, type RunResult } from '../helpers/cli.js'

export interface Kill {
  point: string
  /** Which hit of the point kills: 1 = the first time it is reached. */
  nth: number
}

/** Runs the command with tracing on and returns how often each crash point was reached, in first-hit order. */
export async function tracePoints(args: readonly string[], cwd: string, traceDir: string): Promise<{ counts: Map<string, number>; result: RunResult }> {
  const trace = path.join(traceDir, `trace-${process.pid}-${Date.now()}.txt`)
  const result = await run(args, { cwd, env: { ANKAGIT_CRASH_TRACE: trace } })
  const counts = new Map<string, number>()
  const text = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8') : ''
  for (const line of text.split('\n')) if (line) counts.set(line, (counts.get(line) ?? 0) + 1)
  fs.rmSync(trace, { force: true })
  return { counts, result }
}

export function soak(): boolean {
  return process.env.ANKAGIT_SOAK === '1'
}

/** The kills to inject: each point at its first and last hit and one seeded hit between (all hits in soak mode). */
export function killSchedule(counts: ReadonlyMap<string, number>, seed: number, all = soak()): Kill[] {
  const out: Kill[] = []
  let state = seed >>> 0 || 1
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8)
  for (const [point, count] of counts) {
    const picks = all ? Array.from({ length: count }, (_, i) => i + 1) : [1, count, count > 2 ? 2 + (next() % (count - 2)) : 1]
    for (const nth of [...new Set(picks)].sort((a, b) => a - b)) out.push({ point, nth })
  }
  return out
}

/** Runs the command with the kill armed; asserts it really died by SIGKILL (the point was reached). */
export async function runKilled(args: readonly string[], cwd: string, kill: Kill): Promise<RunResult> {
  const r = await run(args, { cwd, env: { ANKAGIT_CRASH_AT: `${kill.point}:${kill.nth}` } })
  assert.is(r.signal, 'SIGKILL', `${label(kill)}: expected the command to die at its crash point, got exit ${r.code}: ${r.stderr}`)
  return r
}

export function label(kill: Kill): string {
  return `${kill.point}:${kill.nth}`
}

export interface FsckReport {
  ok: boolean
  problems: Array<{ kind: string; message: string }>
  notices: string[]
  objects: number
  roots: number
}

/** fsck must pass: exit 0, no problem (notices of debris are allowed: that is what a crash leaves). */
export async function assertFsckPasses(cwd: string, context: string): Promise<FsckReport> {
  const r = await run(['fsck', '--json'], { cwd })
  const report = JSON.parse(r.stdout || '{}') as FsckReport
  assert.is(r.code, 0, `${context}: fsck failed (exit ${r.code}): ${r.stdout.slice(0, 2000)} ${r.stderr}`)
  assert.ok(report.ok && report.problems.length === 0, `${context}: fsck problems: ${JSON.stringify(report.problems)}`)
  return report
}

/** The commit HEAD resolves to, or undefined on an unborn branch. */
export async function headId(cwd: string): Promise<string | undefined> {
  const r = await run(['rev-parse', 'HEAD'], { cwd })
  return r.code === 0 ? r.stdout.trim() : undefined
}

export interface StatusReport {
  branch?: string
  head?: string
  clean: boolean
  checkoutInterrupted?: string
  changes: Array<{ path: string; state: string }>
  warnings: string[]
}

export async function status(cwd: string): Promise<StatusReport> {
  return JSON.parse((await runOk(['status', '--json'], { cwd })).stdout) as StatusReport
}

/** One line for the closing figures: what was injected and survived. */
export function reportKills(what: string, kills: readonly Kill[], survived: number): void {
  const points = new Set(kills.map((k) => k.point)).size
  console.log(`crash figures: ${what}: ${kills.length} kills injected at ${points} distinct points, ${survived} survived (fsck clean, retry completed)`)
}
