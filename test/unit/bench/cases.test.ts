/**
 * The clone, archive and memory cases on tiny data with no compared tool installed as far as they
 * know: each makes its versions, computes the ideal, runs ankagit over them and fills in its targets.
 * Needs root for the loop mount of the clone's update (debugfs is used when the mount is refused).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { AnkagitCli } from '../../../bench/ankagit-cli.js'
import { runArchiveCase } from '../../../bench/archive-case.js'
import { runCloneCase } from '../../../bench/clone-case.js'
import type { BenchContext } from '../../../bench/context.js'
import { runMemoryCase } from '../../../bench/memory-case.js'
import { parseBenchOptions } from '../../../bench/options.js'
import { REPO_ROOT } from '../../helpers/cli.js'
import { tmpDir } from '../../helpers/tmp.js'

const MiB = 2 ** 20
const test = suite('cases')

function context(name: string): BenchContext {
  const opts = parseBenchOptions(['--quick', '--host-files', '--repeat', '1'], REPO_ROOT)
  opts.suite = {
    clone: { diskBytes: 64 * MiB, dataBytes: 6 * MiB, changeBytes: MiB },
    archiveBytes: 4 * MiB,
    memory: { diskBytes: 64 * MiB, dataBytes: 6 * MiB, memoryBytes: 16 * MiB },
    scaling: [],
  }
  const work = path.join(tmpDir(`ankagit-bench-${name}-`), 'work')
  fs.mkdirSync(work)
  return { opts, work, cli: new AnkagitCli(REPO_ROOT), log: () => {}, competitors: { available: new Set(), versions: {} } }
}

test('clone: the clone costs about its ideal', async () => {
  const r = await runCloneCase(context('clone'))
  assert.equal(r.comparison!.versions, ['template', 'clone'])
  const t = Object.fromEntries(r.targets.map((x) => [x.id, x]))
  assert.ok(t['clone-storedBytes-vs-ideal']!.ratio! < 1.5, t['clone-storedBytes-vs-ideal']!.measured)
  assert.ok(r.comparison!.ideal.clone! > 0 && r.comparison!.ideal.clone! < r.comparison!.ideal.template!)
})

test('archive: inserted bytes cost little with FastCDC, though fixed blocks would reuse nothing', async () => {
  const r = await runArchiveCase(context('archive'))
  const t = Object.fromEntries(r.targets.map((x) => [x.id, x]))
  assert.ok(t['changed-stored-bound']!.holds, t['changed-stored-bound']!.measured)
  assert.ok(r.comparison!.ideal.changed! > MiB, 'the aligned ideal finds (almost) nothing to reuse')
})

test('memory: a second suspend stores about its ideal', async () => {
  const r = await runMemoryCase(context('memory'))
  const t = Object.fromEntries(r.targets.map((x) => [x.id, x]))
  assert.ok(t['second-storedBytes-vs-ideal']!.ratio! < 1.5, t['second-storedBytes-vs-ideal']!.measured)
  assert.ok((r.corpus.memoryBytes!.value as number) === 16 * MiB)
})

test.run()
