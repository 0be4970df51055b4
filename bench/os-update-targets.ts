/**
 * The targets of issue 2 ("Done when") and issue 4 that the OS-update case measures, each a figure
 * or a ratio taken from the same run. Timing ratios compare medians.
 */
import type { RoundTrip } from './checkout-steps.js'
import { formatBytes, formatRatio, formatSeconds } from './format.js'
import type { Step, Target } from './step.js'

const MiB = 2 ** 20

function stepById(steps: readonly Step[], id: string): Step {
  const s = steps.find((x) => x.id === id)
  if (!s) throw new Error(`no step '${id}' in this case`)
  return s
}

/** "a ≤ limit × b" as a target whose ratio is (a / b) / limit. */
function timeRatio(id: string, text: string, a: Step, b: Step, limit: number): Target {
  const r = a.seconds.median / b.seconds.median
  return {
    id,
    text,
    measured: `${formatSeconds(a.seconds.median)} vs ${formatSeconds(b.seconds.median)}: ${formatRatio(r)}`,
    ratio: r / limit,
    holds: r <= limit,
  }
}

export function osUpdateTargets(o: { steps: readonly Step[]; ideal64: number; storeFiles: number; roundTrip: RoundTrip }): Target[] {
  const s = (id: string) => stepById(o.steps, id)
  const stored = s('commit-v2').bytesStored!
  const noop = s('commit-noop').seconds.median
  const ankagitSteps = o.steps.filter((x) => x.tool === 'ankagit')
  const peak = Math.max(...ankagitSteps.map((x) => x.peakRssBytes))
  const peakStep = ankagitSteps.find((x) => x.peakRssBytes === peak)!
  const rt = o.roundTrip
  return [
    {
      id: 'recommit-vs-ideal',
      text: 're-commit after the update stores ≤ 1.05 × the 64 KiB-aligned ideal delta (zstd -3 of the novel 64 KiB blocks)',
      measured: `${formatBytes(stored)} vs ${formatBytes(o.ideal64)}: ${formatRatio(stored / o.ideal64)}`,
      ratio: stored / o.ideal64 / 1.05,
      holds: stored <= 1.05 * o.ideal64,
    },
    timeRatio('commit-vs-zstd', 'commit of the new VM is faster than zstd -1 -T2 over the same files', s('commit-v1'), s('zstd-v1'), 1),
    {
      id: 'noop-commit',
      text: 'commit with nothing changed takes < 100 ms',
      measured: formatSeconds(noop),
      ratio: noop / 0.1,
      holds: noop < 0.1,
    },
    timeRatio('recommit-vs-read', 're-commit after the update is within 1.5 × the time to read the files (cat)', s('commit-v2'), s('cat-v2'), 1.5),
    timeRatio('checkout-vs-cp', 'checkout of a commit (into an emptied folder) is within 1.5 × cp --sparse=always of the same VM', s('checkout-v1-full'), s('cp-v1'), 1.5),
    ...(o.steps.some((x) => x.id === 'cp-sync-v1')
      ? [timeRatio('checkout-vs-cp-sync', 'the same, against cp followed by sync of the copies (both durable; not an issue target)', s('checkout-v1-full'), s('cp-sync-v1'), 1.5)]
      : []),
    {
      id: 'round-trip',
      text: 'both commits and the checkouts round-trip byte for byte, holes kept (allocated within 5% of the original)',
      measured: `${rt.identical ? 'identical' : 'DIFFERENT'}; allocated ${formatBytes(rt.allocatedAfter)} vs ${formatBytes(rt.allocatedOriginal)} (${formatRatio(rt.allocatedRatio)})`,
      ratio: rt.allocatedRatio,
      holds: rt.identical && Math.abs(rt.allocatedRatio - 1) <= 0.05,
    },
    {
      id: 'store-files',
      text: 'the whole store holds fewer than 500 files',
      measured: `${o.storeFiles} files`,
      ratio: o.storeFiles / 500,
      holds: o.storeFiles < 500,
    },
    {
      id: 'peak-rss',
      text: 'peak RSS ≤ 200 MiB for every ankagit operation',
      measured: `${formatBytes(peak)} (${peakStep.label})`,
      ratio: peak / (200 * MiB),
      holds: peak <= 200 * MiB,
    },
  ]
}
