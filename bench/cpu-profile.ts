/**
 * Where ankagit spends its CPU: runs a command under `node --cpu-prof` (one .cpuprofile per thread,
 * workers included) and sums each function's self time over all threads, so the report can name the
 * functions that dominate a slow step instead of guessing.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { AnkagitCli } from './ankagit-cli.js'
import { runMeasured } from './measured-run.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples?: number[]
  timeDeltas?: number[]
}

export interface HotFunction {
  /** "functionName (dist/src/chunk/splitter.js:120)", or a V8 pseudo-frame such as "(garbage collector)". */
  name: string
  selfMs: number
  /** Share of all sampled time of all threads. */
  share: number
}

export interface ProfileSummary {
  label: string
  command: string
  seconds: number
  threads: number
  totalMs: number
  top: HotFunction[]
}

/** Self time per function over every .cpuprofile in dir, highest first. Idle time is left out. */
export function summarizeProfiles(dir: string, repoRoot: string, top = 12): { threads: number; totalMs: number; top: HotFunction[] } {
  const self = new Map<string, number>()
  let threads = 0
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const p = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CpuProfile
    threads++
    const byId = new Map(p.nodes.map((n) => [n.id, n]))
    const samples = p.samples ?? []
    const deltas = p.timeDeltas ?? []
    for (let i = 0; i < samples.length; i++) {
      const node = byId.get(samples[i]!)
      if (!node || node.callFrame.functionName === '(idle)') continue
      const key = frameName(node, repoRoot)
      self.set(key, (self.get(key) ?? 0) + Math.max(0, deltas[i] ?? 0) / 1000)
    }
  }
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0)
  const sorted = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
  return { threads, totalMs, top: sorted.map(([name, selfMs]) => ({ name, selfMs, share: totalMs > 0 ? selfMs / totalMs : 0 })) }
}

function frameName(node: ProfileNode, repoRoot: string): string {
  const { functionName, url, lineNumber } = node.callFrame
  if (!url) return functionName || '(anonymous)'
  const file = url.replace(/^file:\/\//, '').replace(repoRoot + '/', '')
  return `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})`
}

/** Runs `ankagit args` under the profiler in cwd and summarizes it; okCodes as for runMeasured. */
export async function profileAnkagit(cli: AnkagitCli, o: { label: string; args: string[]; cwd: string; profileDir: string; repoRoot: string; okCodes?: number[] }): Promise<ProfileSummary> {
  fs.rmSync(o.profileDir, { recursive: true, force: true })
  fs.mkdirSync(o.profileDir, { recursive: true })
  const run = await runMeasured(process.execPath, ['--cpu-prof', '--cpu-prof-dir', o.profileDir, cli.mainJs, ...o.args], { cwd: o.cwd, okCodes: o.okCodes })
  const s = summarizeProfiles(o.profileDir, o.repoRoot)
  return { label: o.label, command: `node --cpu-prof dist/cli/ankagit.js ${o.args.join(' ')}`, seconds: run.seconds, ...s }
}
