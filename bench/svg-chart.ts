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
const COLOURS = ['#2f6fdf', '#d9822b', '#3a9d5d', '#b04aa3', '#777777']

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Maps a value onto [0, 1] of an axis from lo to hi, linear or logarithmic. */
export function axisPosition(value: number, lo: number, hi: number, log: boolean): number {
  if (log) return (Math.log10(value) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
  return (value - lo) / (hi - lo)
}

/** Powers of ten between lo and hi, for the grid of a logarithmic axis. */
export function decades(lo: number, hi: number): number[] {
  const out: number[] = []
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e)
  return out
}

export function barChart(o: { title: string; note?: string; bars: Bar[]; log: boolean; format: (v: number) => string }): string {
  const bars = o.bars.filter((b) => b.value > 0)
  const labelWidth = 12 + 7 * Math.max(...bars.map((b) => b.label.length))
  const plot = 420
  const rowH = 22
  const top = o.note ? 48 : 34
  const width = labelWidth + plot + 110
  const height = top + bars.length * rowH + 30
  const max = Math.max(...bars.map((b) => b.value))
  const lo = o.log ? 10 ** Math.floor(Math.log10(Math.min(...bars.map((b) => b.value)))) : 0
  const hi = o.log ? 10 ** Math.ceil(Math.log10(max)) : max
  const x = (v: number) => labelWidth + plot * axisPosition(v, lo, hi, o.log)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" ${FONT} font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`,
  ]
  if (o.note) parts.push(`<text x="10" y="38" ${FONT} fill="#555">${escapeXml(o.note)}</text>`)
  if (o.log) {
    for (const d of decades(lo, hi)) {
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
  const yHi = Math.max(...ys) * 1.1 || 1
  const px = (v: number) => left + (width - left - right) * axisPosition(v, xLo, xHi, o.logX)
  const py = (v: number) => height - bottom - (height - top - bottom) * (v / yHi)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" ${FONT} font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#333"/>`,
    `<text x="${(left + width - right) / 2}" y="${height - 12}" ${FONT} text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    `<text x="14" y="${(top + height - bottom) / 2}" ${FONT} text-anchor="middle" transform="rotate(-90 14 ${(top + height - bottom) / 2})">${escapeXml(o.yLabel)}</text>`,
  ]
  for (const v of [...new Set(xs)]) parts.push(`<text x="${px(v).toFixed(1)}" y="${height - bottom + 16}" ${FONT} text-anchor="middle">${escapeXml(o.xFormat(v))}</text>`)
  for (let i = 0; i <= 4; i++) {
    const v = (yHi * i) / 4
    parts.push(`<line x1="${left}" y1="${py(v).toFixed(1)}" x2="${width - right}" y2="${py(v).toFixed(1)}" stroke="#eee"/>`)
    parts.push(`<text x="${left - 6}" y="${(py(v) + 4).toFixed(1)}" ${FONT} text-anchor="end">${escapeXml(o.yFormat(v))}</text>`)
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
