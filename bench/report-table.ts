/** The console summary of a bench run: per case its steps, every tool's cost of the last version, and the targets. */
import { formatBytes, formatSeconds } from './format.js'
import type { BenchReport } from './report.js'
import { comparisonLines } from './report-comparison.js'
import type { Step } from './step.js'

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)))
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
}

export function renderTable(report: BenchReport): string {
  const out: string[] = []
  for (const c of report.cases) {
    out.push('', `${c.title}`)
    if (c.steps.length > 0) out.push(...pad(stepTable(c.steps)).map((l) => '  ' + l))
    if (c.comparison) out.push(...comparisonLines(c.comparison))
    out.push('', '  targets:')
    for (const t of c.targets) out.push(`  ${t.holds ? 'ok  ' : 'MISS'} ${t.text}: ${t.measured}`)
    for (const n of c.notes) out.push(`  note: ${n}`)
  }
  return out.join('\n')
}

function stepTable(steps: readonly Step[]): string[][] {
  const rows = [['step', 'median', 'min–max', 'CPU', 'peak RSS', 'stored', 'wire', 'load']]
  for (const s of steps) {
    rows.push([
      s.label,
      formatSeconds(s.seconds.median),
      `${formatSeconds(s.seconds.min)}–${formatSeconds(s.seconds.max)}`,
      formatSeconds(s.cpuSeconds.median),
      formatBytes(s.peakRssBytes),
      s.bytesStored === undefined ? '' : formatBytes(s.bytesStored),
      s.bytesOnWire === undefined ? '' : formatBytes(s.bytesOnWire),
      s.load.map((l) => l.toFixed(1)).join(' '),
    ])
  }
  return rows
}
