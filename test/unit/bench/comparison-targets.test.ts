import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { belowToolsTarget, boundTarget, fasterThanTarget, idealTarget, toolErrors } from '../../../bench/comparison-targets.js'
import type { Comparison } from '../../../bench/context.js'
import { samplesOf } from '../../../bench/samples.js'

const test = suite('comparison-targets')

function comparison(): Comparison {
  const v = (version: string, seconds: number, storedBytes?: number, wireBytes?: number) => ({ version, seconds: samplesOf([seconds]), storedBytes, wireBytes })
  return {
    versions: ['v1', 'v2'],
    ideal: { v1: 1000, v2: 100 },
    skipped: [],
    tools: [
      { id: 'ankagit', label: 'a', wireMethod: '', versions: [v('v1', 2, 1000, 1000), v('v2', 1, 104, 104)] },
      { id: 'restic', label: 'r', wireMethod: '', versions: [v('v1', 8, 1100, 1100), v('v2', 4, 300, 300)] },
      { id: 'borg', label: 'b', wireMethod: '', versions: [v('v1', 5, 1300, 1300), v('v2', 2, 400, 400)] },
      { id: 'rsync', label: 's', wireMethod: '', versions: [v('v1', 5, undefined, 900), v('v2', 2, undefined, 90)] },
      { id: 'casync', label: 'c', wireMethod: '', versions: [], error: 'broke' },
    ],
  }
}

test('ideal and bound targets', () => {
  const c = comparison()
  assert.ok(idealTarget(c, 'v2', 'storedBytes', 1.05, '').holds)
  assert.not.ok(idealTarget(c, 'v2', 'storedBytes', 1.03, '').holds)
  assert.ok(boundTarget(c, 'v2', 105, '').holds)
  assert.not.ok(boundTarget(c, 'v2', 104, '').holds)
})

test('below other tools: stored where they store, wire for rsync; failed tools are left out', () => {
  const c = comparison()
  const t = belowToolsTarget(c, 'v2', ['restic', 'borg', 'casync', 'rsync'], '')
  assert.not.ok(t.holds, 'rsync sent 90 bytes, less than ankagit’s 104')
  assert.match(t.measured, /restic 0\.35×, borg 0\.26×, rsync 1\.16×/)
  assert.ok(belowToolsTarget(c, 'v2', ['restic', 'borg'], '').holds)
  assert.not.ok(belowToolsTarget(c, 'v2', ['casync'], '').holds, 'no tool ran: not a pass')
})

test('faster than: by a factor, against every listed tool', () => {
  const c = comparison()
  assert.not.ok(fasterThanTarget(c, 'v1', ['restic', 'borg'], 3, '').holds, 'borg took 5 s, less than 3 × 2 s')
  assert.ok(fasterThanTarget(c, 'v1', ['restic', 'borg'], 2.5, '').holds)
})

test('failed tools become notes', () => {
  assert.equal(toolErrors(comparison().tools), ['casync failed: broke'])
})

test.run()
