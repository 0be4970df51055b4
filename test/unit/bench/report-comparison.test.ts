import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Comparison } from '../../../bench/context.js'
import { comparisonLines, comparisonMarkdown, comparisonRows } from '../../../bench/report-comparison.js'
import { samplesOf } from '../../../bench/samples.js'

const test = suite('report-comparison')
const MiB = 2 ** 20

function comparison(): Comparison {
  return {
    versions: ['v1', 'v2'],
    ideal: { v1: 100 * MiB, v2: 10 * MiB },
    skipped: [],
    tools: [
      { id: 'ankagit', label: 'ankagit (x)', wireMethod: 'store growth', versions: [{ version: 'v1', storedBytes: 100 * MiB, wireBytes: 100 * MiB }, { version: 'v2', seconds: samplesOf([2]), storedBytes: 10 * MiB, wireBytes: 10 * MiB, command: 'ankagit commit -m v2' }] },
      { id: 'rsync', label: 'rsync | y', wireMethod: 'stats', versions: [{ version: 'v2', seconds: samplesOf([4]), wireBytes: 20 * MiB, command: 'rsync ./ /w/m/' }] },
      { id: 'casync', label: 'casync', wireMethod: 'files', versions: [], error: 'broke' },
    ],
  }
}

test('rows: the ideal first, ratios are tool ÷ ankagit, a failed tool says so', () => {
  const rows = comparisonRows(comparison(), 'v2')
  assert.equal(rows.map((r) => r.tool), ['ideal', 'ankagit', 'rsync', 'casync'])
  assert.is(rows[0]!.storedRatio, '1.00×')
  assert.is(rows[2]!.wireRatio, '2.00×')
  assert.is(rows[2]!.stored, '')
  assert.is(rows[3]!.seconds, 'failed')
})

test('markdown: a table per version, pipes escaped, commands with $WORK', () => {
  const md = comparisonMarkdown(comparison(), '/w').join('\n')
  assert.match(md, '#### v1')
  assert.match(md, '#### v2')
  assert.match(md, '| rsync \\| y | 4.00 s |')
  assert.match(md, '`rsync ./ $WORK/m/`')
  assert.match(md, '(failed: broke)')
})

test('console: the last version only', () => {
  const lines = comparisonLines(comparison())
  assert.match(lines[0]!, /v2, every tool/)
  assert.ok(lines.some((l) => /^\s+rsync\s+4\.00 s\s+20\.0 MiB\s+2\.00×$/.test(l)), lines.join('\n'))
})

test.run()
