import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { axisPosition, barChart, decades, lineChart } from '../../../bench/svg-chart.js'

const test = suite('svg-chart')

test('axis positions, linear and logarithmic', () => {
  assert.is(axisPosition(5, 0, 10, false), 0.5)
  assert.is(axisPosition(100, 10, 1000, true), 0.5)
  assert.equal(decades(30, 2000), [10, 100, 1000, 10000])
})

test('a bar chart is one SVG with a bar and a label per value, text escaped, zero values left out', () => {
  const svg = barChart({ title: 'a < b', bars: [{ label: 'ankagit', value: 10, kind: 'accent' }, { label: 'restic', value: 1000 }, { label: 'none', value: 0 }], log: true, format: (v) => `${v} B` })
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  assert.match(svg, 'a &lt; b')
  assert.is(svg.match(/<rect x=/g)!.length, 2)
  assert.match(svg, '>1000 B<')
  assert.not.match(svg, '>none<')
})

test('a line chart draws one polyline per series', () => {
  const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'commit', points: [[1, 2], [8, 5]] }, { name: 'fsck', points: [[1, 1], [8, 2]] }], logX: true, xFormat: String, yFormat: String })
  assert.is(svg.match(/<polyline/g)!.length, 2)
  assert.match(svg, '>commit<')
})

test.run()
