/**
 * The comparison part of a case: the ideal of each version against the ones before it, then every
 * tool (ankagit first, pushing to a local daemon when this build has a transport) over the versions,
 * side by side (series.ts).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { AnkagitTransport } from './ankagit-transport.js'
import { treeSize } from './bundle-facts.js'
import type { BenchContext, Comparison } from './context.js'
import { idealDelta } from './ideal-delta.js'
import type { Version } from './presented-tree.js'
import { runSeries } from './series.js'
import { ankagitTool } from './tool-ankagit.js'
import { competitorTools } from './tool-set.js'

export async function compareVersions(
  ctx: BenchContext,
  versions: readonly Version[],
  o: { withAnkagit: boolean; /** Ideals the case computed already, by version name. */ ideal?: Record<string, number> },
): Promise<Comparison> {
  const ideal: Record<string, number> = { ...o.ideal }
  const files = (v: Version) => Object.keys(v.prints).map((f) => path.join(v.dir, f))
  for (let i = 0; i < versions.length; i++) {
    if (versions[i]!.name in ideal) continue
    const [r] = await idealDelta({ base: versions.slice(0, i).flatMap(files), target: files(versions[i]!) })
    ideal[versions[i]!.name] = r!.novelZstdBytes
  }
  const caseBytes = Math.max(...versions.map((v) => treeSize(v.dir, Object.keys(v.prints)).bytes))
  const { tools, skipped } = competitorTools({ ...ctx.competitors, caseBytes, large: ctx.opts.large })
  const work = path.join(ctx.work, 'compare')
  fs.mkdirSync(work, { recursive: true })
  const transport = o.withAnkagit ? await AnkagitTransport.start(ctx.cli, path.join(work, 'daemon'), path.basename(ctx.work)) : undefined
  try {
    const all = o.withAnkagit ? [ankagitTool(ctx.cli, transport), ...tools] : tools
    ctx.log(`comparing ${all.map((t) => t.id).join(', ')} over ${versions.map((v) => v.name).join(', ')}`)
    const series = await runSeries({ work, versions, tools: all, repeat: ctx.opts.toolRepeat, log: ctx.log })
    return { versions: versions.map((v) => v.name), ideal, tools: series, skipped }
  } finally {
    transport?.stop()
    fs.rmSync(work, { recursive: true, force: true })
  }
}
