/**
 * The whole OS-update case on a tiny bundle (128 MiB disk, 8 MB of host files, one run per step):
 * every step is measured, the checkouts verify, and the ideal delta and targets are filled in.
 * Needs root for the loop mount of the update (debugfs is used when the mount is refused), as CI has.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { AnkagitCli } from '../../../bench/ankagit-cli.js'
import { parseBenchOptions } from '../../../bench/options.js'
import { runOsUpdateCase } from '../../../bench/os-update-case.js'
import { REPO_ROOT } from '../../helpers/cli.js'
import { tmpDir } from '../../helpers/tmp.js'

const test = suite('os-update-case')

test('a tiny run measures every step, verifies the round trip and fills in every target', async () => {
  const work = tmpDir('ankagit-bench-case-')
  const opts = parseBenchOptions(['--disk', '128M', '--data', '8M', '--change', '2M', '--repeat', '1', '--host-files'], REPO_ROOT)
  // No compared tools: their runs are the bench's business; this checks ankagit's part and the plumbing.
  const r = await runOsUpdateCase({ opts, work, cli: new AnkagitCli(REPO_ROOT), log: () => {}, competitors: { available: new Set(), versions: {} } })
  const ids = r.steps.map((s) => s.id)
  for (const id of ['commit-v1', 'zstd-v1', 'cat-v1', 'commit-v2', 'cat-v2', 'commit-noop', 'checkout-v1-over-v2', 'checkout-v2-over-v1', 'checkout-v1-full', 'cp-v1', 'cp-sync-v1', 'fsck']) {
    assert.ok(ids.includes(id), `step ${id}`)
  }
  for (const s of r.steps) {
    assert.ok(s.seconds.median > 0, s.id)
    assert.ok(s.peakRssBytes > 0, s.id)
  }
  const commitV2 = r.steps.find((s) => s.id === 'commit-v2')!
  assert.ok(commitV2.bytesStored! > 0 && commitV2.bytesStored! < r.steps.find((s) => s.id === 'commit-v1')!.bytesStored!)
  assert.ok((r.corpus.idealZstd64K!.value as number) > 0)
  const t = Object.fromEntries(r.targets.map((x) => [x.id, x]))
  assert.ok(t['round-trip']!.holds, t['round-trip']!.measured)
  assert.ok(t['store-files']!.holds)
  assert.equal(r.notes.filter((n) => !/no push, clone or pull in this build/.test(n)), [])
  if (await new AnkagitCli(REPO_ROOT).has('push')) {
    for (const id of ['push-v1', 'clone-v1', 'curl-v1', 'push-v2', 'pull-v2', 'pull-up-to-date']) assert.ok(ids.includes(id), `step ${id}`)
    assert.ok(r.targets.some((x) => x.id === 'up-to-date-fetch'))
  }
  assert.equal(r.comparison!.tools.map((x) => x.id), ['ankagit'])
  assert.equal(r.comparison!.versions, ['v1', 'v2'])
  // Only the working VM and its v1 copy remain: the store snapshot and the copies are cleaned up.
  assert.equal(fs.readdirSync(work).sort(), ['v1', 'vm'])
  assert.ok(fs.existsSync(path.join(work, 'vm', '.ankagit')))
})

test.run()
