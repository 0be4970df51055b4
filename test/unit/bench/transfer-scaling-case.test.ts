/**
 * Request counts on a tiny scale (1 and 10 commits; 100 and 1000 chunks) through a real daemon,
 * when this build has the transport commands.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { AnkagitCli } from '../../../bench/ankagit-cli.js'
import { parseBenchOptions } from '../../../bench/options.js'
import { runTransferScalingCase } from '../../../bench/transfer-scaling-case.js'
import { REPO_ROOT } from '../../helpers/cli.js'
import { tmpDir } from '../../helpers/tmp.js'

const test = suite('transfer-scaling-case')

test('requests are counted per history length and chunk count, and the targets read them', async () => {
  const cli = new AnkagitCli(REPO_ROOT)
  const work = path.join(tmpDir('ankagit-bench-requests-'), 'work')
  fs.mkdirSync(work)
  const r = await runTransferScalingCase({ opts: parseBenchOptions(['--quick'], REPO_ROOT), work, cli, log: () => {}, competitors: { available: new Set(), versions: {} } })
  if (!(await cli.has('push'))) {
    assert.match(r.notes[0]!, /no push/)
    return
  }
  const t = r.transferScaling!
  assert.equal(t.history.map((p) => p.commits), [1, 10])
  assert.equal(t.chunks.map((p) => p.chunks), [100, 1000])
  for (const p of [...t.history, ...t.chunks]) for (const v of Object.values(p)) assert.ok(Number.isFinite(v) && v > 0, JSON.stringify(p))
  assert.ok(t.chunks[1]!.cloneBytes > 1000 * 65536, 'random chunks arrive whole')
  assert.equal(r.targets.map((x) => x.id), ['up-to-date-one-round-trip', 'requests-flat-in-chunks'])
})

test.run()
