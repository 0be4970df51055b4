/**
 * The charts BENCHMARKS.md shows, written by the bench from its own figures into bench/charts/:
 * per compared case the bytes each tool needs for the change, the time of the first commit per tool,
 * and time and peak RSS against disk size.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { CaseResult } from './context.js'
import { formatBytes, formatSeconds } from './format.js'
import type { BenchReport } from './report.js'
import { type Bar, barChart, lineChart } from './svg-chart.js'

export interface Chart {
  /** Path relative to the report's folder, as BENCHMARKS.md links it. */
  file: string
  caseId: string
  title: string
}

const CHART_DIR = path.join('bench', 'charts')

function bytesChart(c: CaseResult): string | undefined {
  const cmp = c.comparison
  if (!cmp) return undefined
  const version = cmp.versions[cmp.versions.length - 1]!
  const bars: Bar[] = []
  if (cmp.ideal[version] !== undefined) bars.push({ label: '64 KiB-aligned ideal', value: cmp.ideal[version]!, kind: 'muted' })
  for (const t of cmp.tools) {
    const f = t.versions.find((v) => v.version === version)
    const value = f?.storedBytes ?? f?.wireBytes
    if (value !== undefined) bars.push({ label: f?.storedBytes === undefined ? `${t.id} (wire)` : t.id, value, kind: t.id === 'ankagit' ? 'accent' : undefined })
  }
  return barChart({ title: `${c.title}: bytes stored for '${version}'`, note: 'log scale; rsync has no store, its bar is bytes on the wire', bars, log: true, binary: true, format: formatBytes })
}

function timeChart(c: CaseResult): string | undefined {
  const cmp = c.comparison
  if (!cmp) return undefined
  const version = cmp.versions[0]!
  const bars: Bar[] = cmp.tools.flatMap((t) => {
    const s = t.versions.find((v) => v.version === version)?.seconds?.median
    return s === undefined ? [] : [{ label: t.id, value: s, kind: t.id === 'ankagit' ? ('accent' as const) : undefined }]
  })
  if (bars.length < 2) return undefined
  return barChart({ title: `${c.title}: wall time to record '${version}'`, note: 'median wall time on a shared 2-core machine (load in BENCHMARKS.md)', bars, log: false, format: formatSeconds })
}

function scalingCharts(c: CaseResult): Array<[string, string]> {
  const points = c.scaling ?? []
  if (points.length < 2) return []
  const ids = Object.keys(points[0]!.figures)
  const series = (key: 'seconds' | 'peakRssBytes') => ids.map((id) => ({ name: id, points: points.map((p): [number, number] => [p.apparentBytes, p.figures[id]![key]]) }))
  const size = (v: number) => formatBytes(v).replace('.00 ', ' ')
  return [
    ['scaling-time', lineChart({ title: 'Time against disk size', xLabel: 'disk size (apparent, log scale)', yLabel: 'seconds (median)', series: series('seconds'), logX: true, xFormat: size, yFormat: formatSeconds })],
    ['scaling-rss', lineChart({ title: 'Peak RSS against disk size', xLabel: 'disk size (apparent, log scale)', yLabel: 'peak RSS', series: series('peakRssBytes'), logX: true, xFormat: size, yFormat: formatBytes, yUnit: 2 ** 20, yLimit: { value: 200 * 2 ** 20, label: 'target: 200 MiB' } })],
  ]
}

function requestCharts(c: CaseResult): Array<[string, string, string]> {
  const t = c.transferScaling
  if (!t || t.history.length < 2 || t.chunks.length < 2) return []
  const count = (v: number) => String(Math.round(v))
  return [
    ['requests-history', 'requests against history length', lineChart({
      title: 'HTTP requests against history length',
      xLabel: 'commits of history (log scale)',
      yLabel: 'requests',
      series: [
        { name: 'clone', points: t.history.map((p): [number, number] => [p.commits, p.cloneRequests]) },
        { name: 'pull, nothing new', points: t.history.map((p): [number, number] => [p.commits, p.upToDateRequests]) },
        { name: 'pull, one commit', points: t.history.map((p): [number, number] => [p.commits, p.pullOneRequests]) },
      ],
      logX: true,
      xFormat: count,
      yFormat: count,
    })],
    ['requests-chunks', 'requests against chunk count', lineChart({
      title: 'HTTP requests against chunk count',
      xLabel: 'distinct 64 KiB chunks (log scale)',
      yLabel: 'requests',
      series: [
        { name: 'push', points: t.chunks.map((p): [number, number] => [p.chunks, p.pushRequests]) },
        { name: 'clone', points: t.chunks.map((p): [number, number] => [p.chunks, p.cloneRequests]) },
      ],
      logX: true,
      xFormat: count,
      yFormat: count,
    })],
  ]
}

/** Writes every chart under outDir/bench/charts and returns what was written. */
export function writeCharts(report: BenchReport, outDir: string): Chart[] {
  const dir = path.join(outDir, CHART_DIR)
  fs.mkdirSync(dir, { recursive: true })
  const charts: Chart[] = []
  const write = (c: CaseResult, name: string, title: string, svg: string | undefined) => {
    if (svg === undefined) return
    const file = path.join(CHART_DIR, `${name}.svg`)
    fs.writeFileSync(path.join(outDir, file), svg)
    charts.push({ file, caseId: c.id, title })
  }
  for (const c of report.cases) {
    write(c, `${c.id}-bytes`, `${c.title}: bytes stored per tool`, bytesChart(c))
    write(c, `${c.id}-time`, `${c.title}: time per tool`, timeChart(c))
    for (const [name, svg] of scalingCharts(c)) write(c, name, name === 'scaling-time' ? 'time against disk size' : 'peak RSS against disk size', svg)
    for (const [name, title, svg] of requestCharts(c)) write(c, name, title, svg)
  }
  return charts
}
