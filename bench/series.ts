/**
 * Runs a series of versions through every compared tool, side by side: each version is shown at one
 * folder (presented-tree.ts) and every tool records it before the next version is shown. A tool that
 * fails is reported with its error and left out of the later versions; the others go on.
 *
 * With repeat > 1 a tool's state folder is copied aside before a version and restored between runs,
 * so every run records the same delta. The copy changes inodes, so tools that trust inodes (borg's
 * files cache, ankagit's index) re-read unchanged files on the repeated runs: times of repeated runs
 * are upper bounds.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BackupTool, VersionCost } from './backup-tool.js'
import { runCommand } from './corpus/command.js'
import { PresentedTree, type Version } from './presented-tree.js'
import { type Samples, samplesOf } from './samples.js'

export interface VersionFigures {
  version: string
  seconds?: Samples
  cpuSeconds?: Samples
  peakRssBytes?: number
  load?: number[]
  storedBytes?: number
  wireBytes?: number
  command?: string
}

export interface ToolSeries {
  id: string
  label: string
  wireMethod: string
  versions: VersionFigures[]
  /** Why the tool stopped, when it failed. */
  error?: string
}

async function recordRepeated(tool: BackupTool, v: Version, stateDir: string, repeat: number): Promise<VersionFigures> {
  const snapshot = `${stateDir}.before-${v.name}`
  if (repeat > 1) await runCommand('cp', ['-a', '--sparse=always', stateDir, snapshot])
  const costs: VersionCost[] = []
  for (let i = 0; i < repeat; i++) {
    if (i > 0) {
      fs.rmSync(stateDir, { recursive: true, force: true })
      await runCommand('cp', ['-a', '--sparse=always', snapshot, stateDir])
    }
    costs.push(await tool.record(v))
  }
  fs.rmSync(snapshot, { recursive: true, force: true })
  const last = costs[costs.length - 1]!
  const runs = costs.flatMap((c) => (c.run ? [c.run] : []))
  return {
    version: v.name,
    storedBytes: last.storedBytes,
    wireBytes: last.wireBytes,
    ...(runs.length > 0
      ? {
          seconds: samplesOf(runs.map((r) => r.seconds)),
          cpuSeconds: samplesOf(runs.map((r) => r.userSeconds + r.systemSeconds)),
          peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
          load: runs.map((r) => r.load1),
          command: runs[0]!.command,
        }
      : {}),
  }
}

export async function runSeries(o: {
  work: string
  versions: readonly Version[]
  tools: readonly BackupTool[]
  repeat: number
  log: (line: string) => void
}): Promise<ToolSeries[]> {
  const tree = new PresentedTree(path.join(o.work, 'tree'))
  const results = o.tools.map((t): ToolSeries => ({ id: t.id, label: t.label, wireMethod: t.wireMethod, versions: [] }))
  const stateOf = (t: BackupTool) => path.join(o.work, 'state', t.id)
  for (let i = 0; i < o.tools.length; i++) {
    fs.mkdirSync(stateOf(o.tools[i]!), { recursive: true })
    await o.tools[i]!.init(stateOf(o.tools[i]!)).catch((err: Error) => (results[i]!.error = `init failed: ${err.message}`))
  }
  for (const v of o.versions) {
    await tree.show(v)
    for (let i = 0; i < o.tools.length; i++) {
      const tool = o.tools[i]!
      if (results[i]!.error) continue
      o.log(`  ${tool.id}: ${v.name}`)
      try {
        results[i]!.versions.push(await recordRepeated(tool, { ...v, dir: tree.dir }, stateOf(tool), o.repeat))
      } catch (err) {
        results[i]!.error = `${v.name}: ${(err as Error).message}`
      }
    }
  }
  return results
}
