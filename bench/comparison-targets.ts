/**
 * Issue 4's targets read from a comparison: ankagit's bytes against the ideal, against a bound, and
 * against each other tool; ankagit's time against other tools'. Timing ratios compare medians.
 */
import type { Comparison } from './context.js'
import { formatBytes, formatRatio, formatSeconds } from './format.js'
import type { ToolSeries, VersionFigures } from './series.js'
import type { Target } from './step.js'

export function figuresOf(c: Comparison, toolId: string, version: string): VersionFigures | undefined {
  return c.tools.find((t) => t.id === toolId && !t.error)?.versions.find((v) => v.version === version)
}

function ankagit(c: Comparison, version: string): VersionFigures {
  const f = figuresOf(c, 'ankagit', version)
  if (!f) throw new Error(`no ankagit figures for '${version}'${c.tools.find((t) => t.id === 'ankagit')?.error ? `: ${c.tools.find((t) => t.id === 'ankagit')!.error}` : ''}`)
  return f
}

export function idealTarget(c: Comparison, version: string, metric: 'storedBytes' | 'wireBytes', limit: number, text: string): Target {
  const mine = ankagit(c, version)[metric]!
  const ideal = c.ideal[version]!
  return { id: `${version}-${metric}-vs-ideal`, text, measured: `${formatBytes(mine)} vs ${formatBytes(ideal)}: ${formatRatio(mine / ideal)}`, ratio: mine / ideal / limit, holds: mine <= limit * ideal }
}

export function boundTarget(c: Comparison, version: string, bound: number, text: string): Target {
  const mine = ankagit(c, version).storedBytes!
  return { id: `${version}-stored-bound`, text, measured: formatBytes(mine), ratio: mine / bound, holds: mine < bound }
}

/** ankagit's bytes below each listed tool's (stored, or on the wire for tools with no store). */
export function belowToolsTarget(c: Comparison, version: string, toolIds: readonly string[], text: string): Target {
  const mine = ankagit(c, version)
  const parts: string[] = []
  let worst = 0
  for (const id of toolIds) {
    const theirs = figuresOf(c, id, version)
    if (!theirs) continue
    const metric = theirs.storedBytes !== undefined ? 'storedBytes' : 'wireBytes'
    const r = mine[metric]! / theirs[metric]!
    worst = Math.max(worst, r)
    parts.push(`${id} ${formatRatio(r)}`)
  }
  if (parts.length === 0) return { id: `${version}-below-tools`, text, measured: 'none of the tools ran', holds: false }
  return { id: `${version}-below-tools`, text, measured: `ankagit ÷ tool: ${parts.join(', ')}`, ratio: worst, holds: worst < 1 }
}

/** ankagit at least `factor` × faster than each listed tool on one version. */
export function fasterThanTarget(c: Comparison, version: string, toolIds: readonly string[], factor: number, text: string): Target {
  const mine = ankagit(c, version).seconds!.median
  const parts: string[] = []
  let worst = 0
  for (const id of toolIds) {
    const theirs = figuresOf(c, id, version)?.seconds?.median
    if (theirs === undefined) continue
    worst = Math.max(worst, (mine * factor) / theirs)
    parts.push(`${id} ${formatSeconds(theirs)} (${formatRatio(theirs / mine)} ankagit's)`)
  }
  if (parts.length === 0) return { id: `${version}-faster`, text, measured: 'none of the tools ran', holds: false }
  return { id: `${version}-faster`, text, measured: `ankagit ${formatSeconds(mine)}; ${parts.join(', ')}`, ratio: worst, holds: worst <= 1 }
}

/** The tools that failed, as notes. */
export function toolErrors(tools: readonly ToolSeries[]): string[] {
  return tools.filter((t) => t.error).map((t) => `${t.id} failed: ${t.error}`)
}
