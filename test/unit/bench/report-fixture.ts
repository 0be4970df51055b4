/** A small bench report for the renderer tests: one case, two steps, a target that holds and one that misses. */
import type { BenchReport } from '../../../bench/report.js'
import { samplesOf } from '../../../bench/samples.js'

export function sampleReport(): BenchReport {
  const work = '/tmp/ankagit-bench-abc'
  return {
    schema: 1,
    startedAt: '2025-01-02T03:04:05.000Z',
    seconds: 300,
    invocation: 'npm run bench',
    options: { diskBytes: 2 ** 33, dataBytes: 650 * 2 ** 20, changeBytes: 100 * 2 ** 20, seed: 1, repeat: 3, debian: true, cacheDir: '/c', workParent: '/tmp', keep: false, outDir: '/repo', quick: false, large: false, toolRepeat: 1, profile: false, suite: { clone: { diskBytes: 1, dataBytes: 1, changeBytes: 1 }, archiveBytes: 1, memory: { diskBytes: 1, dataBytes: 1, memoryBytes: 1 }, scaling: [] } },
    work,
    machine: { cpu: 'Test CPU', cores: 2, memoryBytes: 2 ** 34, kernel: 'Linux 6 x64', os: 'Debian 12', node: 'v20.0.0', workFilesystem: 'ext4', tools: { zstd: 'zstd 1.5.4' } },
    loadBefore: [1, 2, 3],
    loadAfter: [4, 5, 6],
    toolsInstalled: [],
    cases: [
      {
        id: 'c',
        title: 'Case title',
        description: 'What the case does.',
        corpus: { size: { label: 'bundle size', value: 2 ** 33, unit: 'bytes' }, method: { label: 'update by', value: 'mount' } },
        steps: [
          { id: 'commit', label: 'commit of v1', tool: 'ankagit', command: 'ankagit commit -m v1', cwd: `${work}/vm`, seconds: samplesOf([2, 1, 3]), cpuSeconds: samplesOf([3]), peakRssBytes: 150 * 2 ** 20, load: [1.25, 2.5, 3], bytesStored: 2 ** 20, extra: { newChunks: 7 } },
          { id: 'zstd', label: 'zstd | pipe', tool: 'zstd', command: `zstd -1 -c disk.img > ${work}/out.zst`, cwd: `${work}/vm`, seconds: samplesOf([4]), cpuSeconds: samplesOf([4]), peakRssBytes: 2 ** 20, load: [1] },
        ],
        targets: [
          { id: 'fast', text: 'commit is faster than zstd', measured: '2 s vs 4 s', ratio: 0.5, holds: true },
          { id: 'tiny', text: 'store is tiny', measured: '1 MiB', holds: false },
        ],
        notes: ['a note'],
      },
    ],
  }
}
