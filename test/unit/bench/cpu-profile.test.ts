import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { summarizeProfiles } from '../../../bench/cpu-profile.js'
import { runMeasured } from '../../../bench/measured-run.js'
import { tmpDir } from '../../helpers/tmp.js'

const test = suite('cpu-profile')

test('the function that burns the CPU tops the summary, named with its file and line', async () => {
  const dir = tmpDir('ankagit-bench-prof-')
  const script = path.join(dir, 'busy.mjs')
  await import('node:fs').then((fs) =>
    fs.writeFileSync(script, 'function spin() { let x = 0; const end = Date.now() + 400; while (Date.now() < end) x += Math.sqrt(x + 1); return x }\nspin()\n'),
  )
  await runMeasured(process.execPath, ['--cpu-prof', '--cpu-prof-dir', path.join(dir, 'prof'), script])
  const s = summarizeProfiles(path.join(dir, 'prof'), dir)
  assert.is(s.threads, 1)
  assert.ok(s.totalMs > 200, `sampled ${s.totalMs} ms`)
  assert.match(s.top[0]!.name, /^spin \(busy\.mjs:1\)$/)
  assert.ok(s.top[0]!.share > 0.5)
})

test('an empty folder sums to nothing', () => {
  const s = summarizeProfiles(tmpDir('ankagit-bench-prof-'), '/')
  assert.equal(s, { threads: 0, totalMs: 0, top: [] })
})

test.run()
