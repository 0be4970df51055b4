/** The console summary of a bench run: one table of steps and one of targets per case. */
import { formatBytes, formatSeconds } from './format.js'
import type { BenchReport } from './report.js'

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)))
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd())
}

export function renderTable(report: BenchReport): string {
  const out: string[] = []
  for (const c of report.cases) {
    out.push('', `${c.title}`)
    const rows = [['step', 'median', 'min–max', 'CPU', 'peak RSS', 'stored', 'load']]
    for (const s of c.steps) {
      rows.push([
        s.label,
        formatSeconds(s.seconds.median),
        `${formatSeconds(s.seconds.min)}–${formatSeconds(s.seconds.max)}`,
        formatSeconds(s.cpuSeconds.median),
        formatBytes(s.peakRssBytes),
        s.bytesStored === undefined ? '' : formatBytes(s.bytesStored),
        s.load.map((l) => l.toFixed(1)).join(' '),
      ])
    }
    out.push(...pad(rows).map((l) => '  ' + l))
    out.push('', '  targets:')
    for (const t of c.targets) out.push(`  ${t.holds ? 'ok  ' : 'MISS'} ${t.text}: ${t.measured}`)
    for (const n of c.notes) out.push(`  note: ${n}`)
  }
  return out.join('\n')
}
