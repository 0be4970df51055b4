import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { axisPosition, barChart, lineChart, linearTicks, logTicks } from '../../../bench/svg-chart.js'

const test = suite('svg-chart')

test('axis positions, linear and logarithmic', () => {
  assert.is(axisPosition(5, 0, 10, false), 0.5)
  assert.is(axisPosition(100, 10, 1000, true), 0.5)
  assert.equal(logTicks(30, 2000, false), [10, 100, 1000, 10000])
  assert.equal(logTicks(42 * 2 ** 20, 331 * 2 ** 20, true), [10 * 2 ** 20, 100 * 2 ** 20, 2 ** 30])
})

test('linear ticks are round numbers reaching the maximum', () => {
  assert.equal(linearTicks(4), [0, 1, 2, 3, 4])
  assert.equal(linearTicks(4.4), [0, 2, 4, 6])
  assert.equal(linearTicks(0.37), [0, 0.1, 0.2, 0.3, 0.4])
})

test('a bar chart is one SVG with a bar and a label per value, text escaped, zero values left out', () => {
  const svg = barChart({ title: 'a < b', bars: [{ label: 'ankagit', value: 10, kind: 'accent' }, { label: 'restic', value: 1000 }, { label: 'none', value: 0 }], log: true, format: (v) => `${v} B` })
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  assert.match(svg, 'a &lt; b')
  assert.is(svg.match(/<rect x=/g)!.length, 2)
  assert.match(svg, '>1000 B<')
  assert.not.match(svg, '>none<')
})

/** Tags that name one attribute twice: XML forbids it and renderers refuse the whole file. */
function repeatedAttributes(svg: string): string[] {
  return [...svg.matchAll(/<[a-z]+([^>]*)>/g)].filter((m) => {
    const names = [...m[1]!.matchAll(/\s([a-z-]+)=/g)].map((a) => a[1])
    return new Set(names).size !== names.length
  }).map((m) => m[0])
}

test('no tag repeats an attribute', () => {
  const bars = barChart({ title: 't', note: 'n', bars: [{ label: 'a', value: 5 }], log: false, format: String })
  const lines = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[1, 1], [2, 2]] }], logX: false, xFormat: String, yFormat: String })
  assert.equal(repeatedAttributes(bars), [])
  assert.equal(repeatedAttributes(lines), [])
})

test('a line chart draws one polyline per series', () => {
  const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'commit', points: [[1, 2], [8, 5]] }, { name: 'fsck', points: [[1, 1], [8, 2]] }], logX: true, xFormat: String, yFormat: String })
  assert.is(svg.match(/<polyline/g)!.length, 2)
  assert.match(svg, '>commit<')
})

test.run()
