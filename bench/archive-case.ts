/**
 * 100 bytes inserted near the start of a tar archive of real files: every fixed-size block after
 * the insertion shifts, so only content-defined chunking can reuse the rest. The 64 KiB-aligned
 * ideal is therefore nearly the whole archive; the target is an absolute bound instead.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { makeInsertedArchive } from './corpus/vm.js'
import { fingerprintBundle } from './bundle-facts.js'
import { boundTarget, toolErrors } from './comparison-targets.js'
import { compareVersions } from './compare-versions.js'
import type { BenchContext, CaseResult } from './context.js'

const MiB = 2 ** 20

export async function runArchiveCase(ctx: BenchContext): Promise<CaseResult> {
  const { opts, work } = ctx
  const bytes = opts.suite.archiveBytes
  const seed = opts.seed + 30
  ctx.log(`archive case: ${bytes} bytes, 100 bytes inserted near the start`)
  const made = await makeInsertedArchive(path.join(work, 'made'), { seed, size: bytes })
  // Both versions name the file the same, as a file changed in place would be.
  const dirs = { base: path.join(work, 'base'), changed: path.join(work, 'changed') }
  for (const [name, dir] of Object.entries(dirs)) {
    fs.mkdirSync(dir)
    fs.linkSync(name === 'base' ? made.base : made.changed, path.join(dir, 'archive.tar'))
  }
  const versions = Object.entries(dirs).map(([name, dir]) => ({ name, dir, prints: fingerprintBundle(dir) }))
  const comparison = await compareVersions(ctx, versions, { withAnkagit: true })
  return {
    id: 'archive',
    title: '100 bytes inserted in an archive',
    description: `A ustar archive of real host files (${bytes} bytes, seed ${seed}) named archive.tar, then the same archive with 100 bytes inserted near its start. ankagit cuts files that are not disk or memory images with FastCDC.`,
    corpus: {
      archiveBytes: { label: 'archive size', value: fs.statSync(made.base).size, unit: 'bytes' },
      ideal64: { label: '64 KiB-aligned ideal for the changed archive (zstd -3): fixed blocks reuse nothing', value: comparison.ideal.changed!, unit: 'bytes' },
    },
    steps: [],
    targets: [
      boundTarget(comparison, 'changed', MiB, 'the changed archive stores < 1 MiB'),
    ],
    comparison,
    notes: [...comparison.skipped, ...toolErrors(comparison.tools)],
  }
}
