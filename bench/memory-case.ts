/**
 * A suspended VM suspended again: the memory image (zero pages, copies of disk blocks as page cache,
 * private pages) is rewritten in place with some pages changed, the disk is untouched. Memory
 * images do not shift, so ankagit cuts them like disks (aligned 64 KiB blocks).
 */
import * as path from 'node:path'
import { runCommand } from './corpus/command.js'
import { makeVm, suspendVm } from './corpus/vm.js'
import { fingerprintBundle, treeSize } from './bundle-facts.js'
import { idealTarget, toolErrors } from './comparison-targets.js'
import { compareVersions } from './compare-versions.js'
import type { BenchContext, CaseResult } from './context.js'

export async function runMemoryCase(ctx: BenchContext): Promise<CaseResult> {
  const { opts, work } = ctx
  const size = opts.suite.memory
  const seed = opts.seed + 20
  const first = path.join(work, 'first')
  const second = path.join(work, 'second')
  ctx.log(`memory case: suspended VM with ${size.memoryBytes} bytes of memory, suspended again`)
  await makeVm({ dir: first, diskSize: size.diskBytes, dataBytes: size.dataBytes, seed, suspended: true, memorySize: size.memoryBytes, debian: opts.debian, cacheDir: opts.cacheDir })
  await runCommand('cp', ['-a', '--sparse=always', first, second])
  await suspendVm(second, { seed: seed + 1, memorySize: size.memoryBytes })
  const versions = [
    { name: 'first', dir: first, prints: fingerprintBundle(first) },
    { name: 'second', dir: second, prints: fingerprintBundle(second) },
  ]
  const comparison = await compareVersions(ctx, versions, { withAnkagit: true })
  const mem = treeSize(first, ['memory.img'])
  return {
    id: 'memory',
    title: 'Suspended VM memory image changed between two suspends',
    description: `A suspended VM (disk.img ${size.diskBytes} bytes apparent, memory.img ${size.memoryBytes} bytes, seed ${seed}) suspended again (seed ${seed + 1}): the memory image is rewritten in place with some pages changed; the disk is unchanged.`,
    corpus: {
      memoryBytes: { label: 'memory image (apparent)', value: mem.bytes, unit: 'bytes' },
      memoryAllocated: { label: 'memory image allocated', value: mem.allocatedBytes, unit: 'bytes' },
      idealSecond: { label: 'ideal for the second suspend: novel 64 KiB blocks, zstd -3', value: comparison.ideal.second!, unit: 'bytes' },
    },
    steps: [],
    targets: [
      // Not an issue target: the clone's bound, applied to the other kind of file that changes in place.
      idealTarget(comparison, 'second', 'storedBytes', 1.05, 'the second suspend stores ≤ 1.05 × its 64 KiB-aligned ideal (the clone target, applied to memory)'),
    ],
    comparison,
    notes: [...comparison.skipped, ...toolErrors(comparison.tools)],
  }
}
