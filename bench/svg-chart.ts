/**
 * Two small chart kinds written as plain SVG text, so the bench needs no plotting dependency:
 * horizontal bars (one value per tool) and lines (a figure against disk size). Logarithmic axes are
 * offered because the bytes the tools store for one change span four orders of magnitude.
 */

export interface Bar {
  label: string
  value: number
  /** Drawn in the accent colour (ankagit) or muted (the ideal). */
  kind?: 'accent' | 'muted'
}

export interface LineSeries {
  name: string
  points: Array<[number, number]>
}

const FONT = 'font-family="sans-serif" font-size="12"'
const TITLE_FONT = 'font-family="sans-serif" font-size="14" font-weight="bold"'
const COLOURS = ['#2f6fdf', '#d9822b', '#3a9d5d', '#b04aa3', '#777777']

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Maps a value onto [0, 1] of an axis from lo to hi, linear or logarithmic. */
export function axisPosition(value: number, lo: number, hi: number, log: boolean): number {
  if (log) return (Math.log10(value) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
  return (value - lo) / (hi - lo)
}

/**
 * Grid values of a logarithmic axis covering lo..hi: powers of ten, or for bytes 1, 10 and 100 times
 * a power of 1024 (1 MiB, 10 MiB, 100 MiB, 1 GiB), which read as round numbers in binary units.
 */
export function logTicks(lo: number, hi: number, binary: boolean): number[] {
  const candidates: number[] = []
  for (let k = -3; k <= 16; k++) {
    if (binary) {
      if (k >= 0 && k <= 5) for (const m of [1, 10, 100]) candidates.push(m * 1024 ** k)
    } else candidates.push(10 ** k)
  }
  candidates.sort((a, b) => a - b)
  const first = [...candidates].reverse().find((c) => c <= lo) ?? candidates[0]!
  const last = candidates.find((c) => c >= hi) ?? candidates[candidates.length - 1]!
  return candidates.filter((c) => c >= first && c <= last)
}

/** 0, step, 2 × step, ... up to the first tick at or above max, with a step of 1, 2 or 5 × 10^k. */
export function linearTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * power).find((x) => x >= raw)!
  const ticks: number[] = []
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)))
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)))
  return ticks
}

export function barChart(o: { title: string; note?: string; bars: Bar[]; log: boolean; binary?: boolean; format: (v: number) => string }): string {
  const bars = o.bars.filter((b) => b.value > 0)
  const labelWidth = 12 + 7 * Math.max(...bars.map((b) => b.label.length))
  const plot = 420
  const rowH = 22
  const top = o.note ? 48 : 34
  // Titles in 14 px bold take at most 9 px a character; the chart is widened rather than cut.
  const width = Math.max(labelWidth + plot + 110, 20 + 9 * o.title.length)
  const height = top + bars.length * rowH + 30
  const max = Math.max(...bars.map((b) => b.value))
  const ticks = o.log ? logTicks(Math.min(...bars.map((b) => b.value)), max, !!o.binary) : linearTicks(max)
  const lo = o.log ? ticks[0]! : 0
  const hi = ticks[ticks.length - 1]!
  const x = (v: number) => labelWidth + plot * axisPosition(v, lo, hi, o.log)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" ${TITLE_FONT}>${escapeXml(o.title)}</text>`,
  ]
  if (o.note) parts.push(`<text x="10" y="38" ${FONT} fill="#555">${escapeXml(o.note)}</text>`)
  {
    for (const d of ticks) {
      parts.push(`<line x1="${x(d).toFixed(1)}" y1="${top - 4}" x2="${x(d).toFixed(1)}" y2="${top + bars.length * rowH}" stroke="#ddd"/>`)
      parts.push(`<text x="${x(d).toFixed(1)}" y="${top + bars.length * rowH + 16}" ${FONT} fill="#555" text-anchor="middle">${escapeXml(o.format(d))}</text>`)
    }
  }
  bars.forEach((b, i) => {
    const y = top + i * rowH
    const fill = b.kind === 'accent' ? COLOURS[0] : b.kind === 'muted' ? '#bbbbbb' : '#8aa0b8'
    parts.push(`<text x="${labelWidth - 8}" y="${y + 15}" ${FONT} text-anchor="end">${escapeXml(b.label)}</text>`)
    parts.push(`<rect x="${labelWidth}" y="${y + 3}" width="${Math.max(1, x(b.value) - labelWidth).toFixed(1)}" height="${rowH - 6}" fill="${fill}"/>`)
    parts.push(`<text x="${(x(b.value) + 6).toFixed(1)}" y="${y + 15}" ${FONT}>${escapeXml(o.format(b.value))}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}

export function lineChart(o: {
  title: string
  xLabel: string
  yLabel: string
  series: LineSeries[]
  logX: boolean
  xFormat: (v: number) => string
  yFormat: (v: number) => string
  /** Ticks fall on round multiples of this (e.g. 2^20 for bytes shown in MiB); default 1. */
  yUnit?: number
  /** A dashed line at a bound the figures must stay under. */
  yLimit?: { value: number; label: string }
}): string {
  const width = 560
  const height = 320
  const left = 70
  const right = 150
  const top = 40
  const bottom = 50
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]))
  const ys = o.series.flatMap((s) => s.points.map((p) => p[1]))
  const xLo = Math.min(...xs)
  const xHi = Math.max(...xs) === xLo ? xLo * 2 : Math.max(...xs)
  const unit = o.yUnit ?? 1
  const yTicks = linearTicks(Math.max(...ys, o.yLimit?.value ?? 0) / unit).map((t) => t * unit)
  const yHi = yTicks[yTicks.length - 1]!
  const px = (v: number) => left + (width - left - right) * axisPosition(v, xLo, xHi, o.logX)
  const py = (v: number) => height - bottom - (height - top - bottom) * (v / yHi)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" ${TITLE_FONT}>${escapeXml(o.title)}</text>`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#333"/>`,
    `<text x="${(left + width - right) / 2}" y="${height - 12}" ${FONT} text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    `<text x="14" y="${(top + height - bottom) / 2}" ${FONT} text-anchor="middle" transform="rotate(-90 14 ${(top + height - bottom) / 2})">${escapeXml(o.yLabel)}</text>`,
  ]
  for (const v of [...new Set(xs)]) parts.push(`<text x="${px(v).toFixed(1)}" y="${height - bottom + 16}" ${FONT} text-anchor="middle">${escapeXml(o.xFormat(v))}</text>`)
  for (const v of yTicks) {
    parts.push(`<line x1="${left}" y1="${py(v).toFixed(1)}" x2="${width - right}" y2="${py(v).toFixed(1)}" stroke="#eee"/>`)
    parts.push(`<text x="${left - 6}" y="${(py(v) + 4).toFixed(1)}" ${FONT} text-anchor="end">${escapeXml(o.yFormat(v))}</text>`)
  }
  if (o.yLimit) {
    const y = py(o.yLimit.value).toFixed(1)
    parts.push(`<line x1="${left}" y1="${y}" x2="${width - right}" y2="${y}" stroke="#c0392b" stroke-dasharray="6 4"/>`)
    parts.push(`<text x="${width - right + 10}" y="${(py(o.yLimit.value) + 4).toFixed(1)}" ${FONT} fill="#c0392b">${escapeXml(o.yLimit.label)}</text>`)
  }
  o.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]
    const pts = [...s.points].sort((a, b) => a[0] - b[0])
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([a, b]) => `${px(a).toFixed(1)},${py(b).toFixed(1)}`).join(' ')}"/>`)
    for (const [a, b] of pts) parts.push(`<circle cx="${px(a).toFixed(1)}" cy="${py(b).toFixed(1)}" r="3" fill="${colour}"/>`)
    parts.push(`<text x="${width - right + 10}" y="${top + 14 + i * 18}" ${FONT} fill="${colour}">${escapeXml(s.name)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}
