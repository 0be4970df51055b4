import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { osUpdateTargets } from '../../../bench/os-update-targets.js'
import { samplesOf } from '../../../bench/samples.js'
import type { Step } from '../../../bench/step.js'

const MiB = 2 ** 20
const test = suite('os-update-targets')

function step(id: string, tool: string, seconds: number, extra: Partial<Step> = {}): Step {
  return { id, label: id, tool, command: id, cwd: '/w', seconds: samplesOf([seconds]), cpuSeconds: samplesOf([seconds]), peakRssBytes: 50 * MiB, load: [1], ...extra }
}

function steps(o: { commitV1?: number; noop?: number; stored?: number; peak?: number } = {}): Step[] {
  return [
    step('commit-v1', 'ankagit', o.commitV1 ?? 5),
    step('zstd-v1', 'zstd', 10),
    step('commit-v2', 'ankagit', 1.2, { bytesStored: o.stored ?? 100 * MiB, peakRssBytes: o.peak ?? 150 * MiB }),
    step('cat-v2', 'cat', 1),
    step('commit-noop', 'ankagit', o.noop ?? 0.05),
    step('checkout-v1-full', 'ankagit', 3),
    step('cp-v1', 'cp', 1),
  ]
}

const roundTrip = { identical: true, allocatedRatio: 1.01, allocatedAfter: 101, allocatedOriginal: 100 }
const byId = (ts: ReturnType<typeof osUpdateTargets>) => Object.fromEntries(ts.map((t) => [t.id, t]))

test('targets that hold and targets that miss, from the same figures', () => {
  const t = byId(osUpdateTargets({ steps: steps(), ideal64: 100 * MiB, storeFiles: 40, roundTrip }))
  assert.ok(t['recommit-vs-ideal']!.holds)
  assert.ok(t['commit-vs-zstd']!.holds)
  assert.is(t['commit-vs-zstd']!.ratio, 0.5)
  assert.ok(t['noop-commit']!.holds)
  assert.ok(t['recommit-vs-read']!.holds)
  assert.not.ok(t['checkout-vs-cp']!.holds)
  assert.is(t['checkout-vs-cp']!.ratio, 2)
  assert.ok(t['round-trip']!.holds)
  assert.ok(t['store-files']!.holds)
  assert.ok(t['peak-rss']!.holds)
  assert.match(t['peak-rss']!.measured, /commit-v2/)
})

test('each bound is a bound: just over it misses', () => {
  const t = byId(osUpdateTargets({ steps: steps({ commitV1: 11, noop: 0.1, stored: 106 * MiB, peak: 201 * MiB }), ideal64: 100 * MiB, storeFiles: 500, roundTrip: { ...roundTrip, allocatedRatio: 1.06 } }))
  for (const id of ['recommit-vs-ideal', 'commit-vs-zstd', 'noop-commit', 'round-trip', 'store-files', 'peak-rss']) assert.not.ok(t[id]!.holds, id)
})

test('a checkout that differs fails the round trip whatever the sizes', () => {
  const t = byId(osUpdateTargets({ steps: steps(), ideal64: 100 * MiB, storeFiles: 1, roundTrip: { ...roundTrip, identical: false } }))
  assert.not.ok(t['round-trip']!.holds)
  assert.match(t['round-trip']!.measured, /DIFFERENT/)
})

test.run()
