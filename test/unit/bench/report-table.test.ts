import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { renderTable } from '../../../bench/report-table.js'
import { sampleReport } from './report-fixture.js'

const test = suite('report-table')

test('one line per step with aligned columns, then the targets marked ok or MISS', () => {
  const lines = renderTable(sampleReport()).split('\n')
  const commit = lines.find((l) => l.includes('commit of v1'))!
  const zstd = lines.find((l) => l.includes('zstd | pipe'))!
  assert.ok(commit.includes('2.00 s') && commit.includes('150.0 MiB') && commit.includes('1.00 MiB'))
  assert.is(commit.indexOf('2.00 s') + 6, zstd.indexOf('4.00 s') + 6, 'median column is right-aligned')
  assert.ok(lines.some((l) => /^\s+ok\s+commit is faster than zstd: 2 s vs 4 s$/.test(l)))
  assert.ok(lines.some((l) => /^\s+MISS store is tiny: 1 MiB$/.test(l)))
  assert.ok(lines.some((l) => l.includes('note: a note')))
})

test.run()
