/**
 * A clone of a VM with a few files changed (a new name, MAC address and some files written in its
 * filesystem), recorded after the template it was cloned from: what does the clone cost?
 */
import * as path from 'node:path'
import { cloneVm, makeVm } from './corpus/vm.js'
import { fingerprintBundle, treeSize } from './bundle-facts.js'
import { idealTarget, toolErrors } from './comparison-targets.js'
import { compareVersions } from './compare-versions.js'
import type { BenchContext, CaseResult } from './context.js'

export async function runCloneCase(ctx: BenchContext): Promise<CaseResult> {
  const { opts, work } = ctx
  const size = opts.suite.clone
  const template = path.join(work, 'template')
  const clone = path.join(work, 'clone')
  const seed = opts.seed + 10
  ctx.log(`clone case: template of ${size.diskBytes} bytes apparent, clone with ${size.changeBytes} bytes changed`)
  await makeVm({ dir: template, diskSize: size.diskBytes, dataBytes: size.dataBytes, seed, debian: opts.debian, cacheDir: opts.cacheDir })
  await cloneVm(template, clone, { seed: seed + 1, changeBytes: size.changeBytes })
  const versions = [
    { name: 'template', dir: template, prints: fingerprintBundle(template) },
    { name: 'clone', dir: clone, prints: fingerprintBundle(clone) },
  ]
  const comparison = await compareVersions(ctx, versions, { withAnkagit: true })
  const t = treeSize(template, Object.keys(versions[0]!.prints))
  return {
    id: 'clone',
    title: 'Clone with a few files changed',
    description:
      `A template VM (disk.img ${size.diskBytes} bytes apparent, ${size.dataBytes} bytes of files, seed ${seed}) and a clone of it ` +
      `(cp --sparse=always, new name and MAC address, ${size.changeBytes} bytes of files added or rewritten in its filesystem), recorded one after the other into one store.`,
    corpus: {
      apparentBytes: { label: 'template size (apparent)', value: t.bytes, unit: 'bytes' },
      allocated: { label: 'template allocated', value: t.allocatedBytes, unit: 'bytes' },
      idealClone: { label: 'ideal for the clone: novel 64 KiB blocks, zstd -3', value: comparison.ideal.clone!, unit: 'bytes' },
    },
    steps: [],
    targets: [
      idealTarget(comparison, 'clone', 'storedBytes', 1.05, 'the clone stores ≤ 1.05 × its 64 KiB-aligned ideal'),
    ],
    comparison,
    notes: [...comparison.skipped, ...toolErrors(comparison.tools)],
  }
}
