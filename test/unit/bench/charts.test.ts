import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { writeCharts } from '../../../bench/charts.js'
import { samplesOf } from '../../../bench/samples.js'
import { tmpDir } from '../../helpers/tmp.js'
import { sampleReport } from './report-fixture.js'

const test = suite('charts')

test('bytes and time charts per compared case, scaling charts, all under bench/charts', () => {
  const report = sampleReport()
  report.cases[0]!.comparison = {
    versions: ['v1', 'v2'],
    ideal: { v1: 100, v2: 10 },
    skipped: [],
    tools: [
      { id: 'ankagit', label: 'a', wireMethod: '', versions: [{ version: 'v1', seconds: samplesOf([1]), storedBytes: 100 }, { version: 'v2', storedBytes: 11 }] },
      { id: 'restic', label: 'r', wireMethod: '', versions: [{ version: 'v1', seconds: samplesOf([5]), storedBytes: 120 }, { version: 'v2', storedBytes: 30 }] },
    ],
  }
  report.cases.push({ id: 'scaling', title: 'Scaling', description: '', corpus: {}, steps: [], targets: [], notes: [], scaling: [1, 8].map((g) => ({ apparentBytes: g * 2 ** 30, allocatedBytes: g * 2 ** 26, figures: { commit: { seconds: g, peakRssBytes: 100 * 2 ** 20 } } })) })
  const out = tmpDir('ankagit-bench-charts-')
  const charts = writeCharts(report, out)
  assert.equal(charts.map((c) => c.file), ['bench/charts/c-bytes.svg', 'bench/charts/c-time.svg', 'bench/charts/scaling-time.svg', 'bench/charts/scaling-rss.svg'])
  for (const c of charts) assert.match(fs.readFileSync(path.join(out, c.file), 'utf8'), /^<svg /)
  assert.match(fs.readFileSync(path.join(out, 'bench/charts/c-bytes.svg'), 'utf8'), /bytes stored for 'v2'/)
})

test.run()
