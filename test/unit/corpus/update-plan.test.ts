import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { EDIT_MIX, REWRITE_MIN_BYTES, RewriteFeed, UPGRADE_MIX, planUpdate } from '../../../bench/corpus/update-plan.js'
import type { Manifest } from '../../../bench/corpus/manifest.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const test = suite('update-plan')
test.after(() => removeTmpDirs())

const KiB = 1024
const manifest: Manifest = {
  files: [
    ...Array.from({ length: 40 }, (_, i) => ({ path: `/usr/lib/big${i}`, size: REWRITE_MIN_BYTES + i * KiB })),
    ...Array.from({ length: 400 }, (_, i) => ({ path: `/usr/share/d${i % 20}/small${i}`, size: 3 * KiB + i })),
  ],
  dirs: ['/usr', '/usr/lib', '/usr/share', ...Array.from({ length: 20 }, (_, i) => `/usr/share/d${i}`)],
  others: ['/usr/bin'],
}
const pool = [
  ...Array.from({ length: 300 }, (_, i) => ({ path: `/usr/share/new${i % 30}/f${i}`, size: 10 * KiB + i })),
  { path: '/usr/bin/blocked', size: 5 * KiB },
  { path: '/usr/lib/big0', size: 999 },
]
const changeBytes = 4 * 1024 * KiB

test('is deterministic and splits the change as documented', () => {
  const plan = planUpdate({ manifest, pool, seed: 1, changeBytes })
  assert.equal(planUpdate({ manifest, pool, seed: 1, changeBytes }), plan)
  assert.not.equal(planUpdate({ manifest, pool, seed: 2, changeBytes }).add, plan.add)
  const sum = (l: { size: number }[]) => l.reduce((a, f) => a + f.size, 0)
  assert.ok(sum(plan.add) <= changeBytes * UPGRADE_MIX.add && sum(plan.add) > changeBytes * UPGRADE_MIX.add * 0.9)
  assert.ok(sum(plan.remove) <= changeBytes * UPGRADE_MIX.remove && plan.remove.length > 0)
  assert.ok(plan.rewrite.length > 0 && plan.rewrite.every((f) => f.size >= REWRITE_MIN_BYTES))
})

test('the edit mix only rewrites', () => {
  const plan = planUpdate({ manifest, pool, seed: 1, changeBytes, mix: EDIT_MIX })
  assert.is(plan.add.length + plan.remove.length + plan.newDirs.length, 0)
  assert.ok(plan.rewrite.reduce((a, f) => a + f.size, 0) > changeBytes * 0.9)
})

test('never adds over an existing entry or under a non-folder, and creates new folders parents first', () => {
  const plan = planUpdate({ manifest, pool, seed: 3, changeBytes })
  const existing = new Set(manifest.files.map((f) => f.path))
  assert.ok(plan.add.every((f) => !existing.has(f.path) && !f.path.startsWith('/usr/bin/')))
  for (const d of plan.newDirs) assert.ok(d === '/usr/share' || !plan.newDirs.includes(d) || plan.newDirs.indexOf(path.posix.dirname(d)) < plan.newDirs.indexOf(d) || manifest.dirs.includes(path.posix.dirname(d)))
  assert.ok(plan.newDirs.every((d) => !manifest.dirs.includes(d)))
  const removed = new Set(plan.remove.map((f) => f.path))
  assert.ok(plan.rewrite.every((f) => !removed.has(f.path)))
  const after = new Set(plan.manifest.files.map((f) => f.path))
  assert.ok(plan.add.every((f) => after.has(f.path)) && plan.remove.every((f) => !after.has(f.path)))
})

test('the rewrite feed reads its sources in order, then seeded bytes', async () => {
  const dir = tmpDir('ankagit-feed-')
  fs.writeFileSync(path.join(dir, 'a'), 'abc')
  fs.writeFileSync(path.join(dir, 'b'), 'defg')
  const sources = [{ path: path.join(dir, 'a'), size: 3 }, { path: path.join(dir, 'b'), size: 4 }]
  const feed = new RewriteFeed(sources, 1)
  assert.is((await feed.take(2)).toString(), 'ab')
  assert.is((await feed.take(4)).toString(), 'cdef')
  const tail = await feed.take(5)
  assert.is(tail.length, 5)
  assert.is(tail.subarray(0, 1).toString(), 'g')
  const again = new RewriteFeed(sources, 1)
  assert.ok(Buffer.concat([await again.take(2), await again.take(4), await again.take(5)]).subarray(6).equals(tail))
})

test.run()
