/**
 * Renders a case's comparison (every tool over the same versions) for BENCHMARKS.md and the
 * console: per version, each tool's time, CPU, peak RSS, bytes stored and sent, and their ratio to
 * ankagit's, under the 64 KiB-aligned ideal.
 */
import type { Comparison } from './context.js'
import { formatBytes, formatRatio, formatSeconds } from './format.js'

export interface ComparisonRow {
  tool: string
  label: string
  seconds: string
  cpu: string
  peakRss: string
  stored: string
  wire: string
  storedRatio: string
  wireRatio: string
}

const blank = (n: number | undefined, f: (x: number) => string) => (n === undefined ? '' : f(n))

/** One row per tool for one version, the ideal first; ratios are tool ÷ ankagit. */
export function comparisonRows(c: Comparison, version: string): ComparisonRow[] {
  const mine = c.tools.find((t) => t.id === 'ankagit')?.versions.find((v) => v.version === version)
  const ratio = (theirs: number | undefined, ours: number | undefined) => (theirs === undefined || !ours ? '' : formatRatio(theirs / ours))
  const rows: ComparisonRow[] = []
  const ideal = c.ideal[version]
  if (ideal !== undefined) {
    rows.push({ tool: 'ideal', label: '64 KiB-aligned ideal (novel blocks, zstd -3)', seconds: '', cpu: '', peakRss: '', stored: formatBytes(ideal), wire: formatBytes(ideal), storedRatio: ratio(ideal, mine?.storedBytes), wireRatio: ratio(ideal, mine?.wireBytes) })
  }
  for (const t of c.tools) {
    const f = t.versions.find((v) => v.version === version)
    if (!f) {
      rows.push({ tool: t.id, label: t.label, seconds: t.error ? 'failed' : '', cpu: '', peakRss: '', stored: '', wire: '', storedRatio: '', wireRatio: '' })
      continue
    }
    rows.push({
      tool: t.id,
      label: t.label,
      seconds: blank(f.seconds?.median, formatSeconds),
      cpu: blank(f.cpuSeconds?.median, formatSeconds),
      peakRss: blank(f.peakRssBytes, formatBytes),
      stored: blank(f.storedBytes, formatBytes),
      wire: blank(f.wireBytes, formatBytes),
      storedRatio: ratio(f.storedBytes, mine?.storedBytes),
      wireRatio: ratio(f.wireBytes, mine?.wireBytes),
    })
  }
  return rows
}

/** Markdown: a table per version, then how each tool's wire figure was obtained and its command. */
export function comparisonMarkdown(c: Comparison, work: string): string[] {
  const out: string[] = []
  const esc = (s: string) => s.replace(/\|/g, '\\|')
  for (const version of c.versions) {
    out.push('', `#### ${version}`, '', '| tool | time | CPU | peak RSS | stored | on the wire | stored ÷ ankagit | wire ÷ ankagit |', '| --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const r of comparisonRows(c, version)) {
      out.push(`| ${esc(r.label)} | ${r.seconds} | ${r.cpu} | ${r.peakRss} | ${r.stored} | ${r.wire} | ${r.storedRatio} | ${r.wireRatio} |`)
    }
  }
  out.push('', 'How each figure was taken (commands of the last version; `$WORK` as above):', '')
  for (const t of c.tools) {
    const last = [...t.versions].reverse().find((v) => v.command)
    const cmd = last?.command ? `: \`${last.command.split(work).join('$WORK').replace(/`/g, "'")}\`` : ''
    out.push(`- ${t.label}; on the wire: ${t.wireMethod}${cmd}${t.error ? ` (failed: ${t.error})` : ''}`)
  }
  return out
}

/** Console: the last version only, the one that shows each tool's delta. */
export function comparisonLines(c: Comparison): string[] {
  const version = c.versions[c.versions.length - 1]!
  const rows = comparisonRows(c, version)
  const cells = [['tool', 'time', 'peak RSS', 'stored', 'wire', '÷ankagit'], ...rows.map((r) => [r.tool, r.seconds, r.peakRss, r.stored, r.wire, r.storedRatio || r.wireRatio])]
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)))
  return [`  ${version}, every tool:`, ...cells.map((row) => '    ' + row.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ').trimEnd())]
}
