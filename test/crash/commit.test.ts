/**
 * kill -9 at every crash point of `ankagit commit` (an initial commit and a commit of changes on top
 * of it): afterwards fsck passes, HEAD is the old commit or the complete new one, a retry completes
 * and stores no chunk that an earlier, killed attempt already made durable, and gc clears the debris.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { copyTree, fingerprint, writeVersion1, writeVersion2 } from './bundle.js'
import { type Kill, assertFsckPasses, headId, killSchedule, label, reportKills, runKilled, status, tracePoints } from './harness.js'

const test = suite('crash: kill -9 during commit')
const root = tmpDir('ankagit-crash-commit-')

interface Scenario {
  name: string
  template: string
  parent?: string
  /** What an uninterrupted commit of the same tree stores. */
  fullNewChunks: number
  kills: Kill[]
}

async function prepare(name: string, withParent: boolean, seed: number): Promise<Scenario> {
  const template = path.join(root, `template-${name}`)
  fs.mkdirSync(template)
  writeVersion1(template)
  await runOk(['init', '-q'], { cwd: template })
  if (withParent) {
    await runOk(['commit', '-q', '-m', 'v1'], { cwd: template })
    writeVersion2(template)
  }
  const parent = await headId(template)
  // Trace a full commit on a throwaway copy: the points it reaches and how often.
  const probe = path.join(root, `probe-${name}`)
  copyTree(template, probe)
  const { counts, result } = await tracePoints(['commit', '--json', '-m', 'probe'], probe, root)
  assert.is(result.code, 0, result.stderr)
  fs.rmSync(probe, { recursive: true, force: true })
  // The initial commit shares its points with the second; its first hits are enough there.
  const kills = killSchedule(counts, seed, withParent ? undefined : false).filter((k) => withParent || k.nth === 1)
  return { name, template, parent, fullNewChunks: (JSON.parse(result.stdout) as { newChunks: number }).newChunks, kills }
}

async function crashAndRecover(s: Scenario, kill: Kill): Promise<void> {
  const dir = path.join(root, `case-${s.name}-${label(kill).replace(':', '-')}`)
  copyTree(s.template, dir)
  const ctx = `${s.name} killed at ${label(kill)}`
  try {
    await runKilled(['commit', '-q', '-m', 'v-next'], dir, kill)
    await assertFsckPasses(dir, ctx)
    const after = await headId(dir)
    const moved = after !== s.parent
    if (moved) {
      const text = (await runOk(['cat-file', '-p', after!], { cwd: dir })).stdout
      const parents = [...text.matchAll(/^parent (\S+)$/gm)].map((m) => m[1])
      assert.equal(parents, s.parent ? [s.parent] : [], `${ctx}: the new commit's parents`)
    }
    // Retry: it must complete (or find the commit already made), and the stale index.lock of the
    // killed process must not stop it.
    const retry = await run(['commit', '--json', '-m', 'v-next'], { cwd: dir })
    if (retry.code === 1) {
      assert.ok(moved, `${ctx}: retry found nothing to commit although HEAD did not move: ${retry.stderr}`)
      assert.match(retry.stderr, /^ankagit: nothing to commit/)
    } else {
      assert.is(retry.code, 0, `${ctx}: retry failed: ${retry.stderr}`)
      assert.not.ok(moved, `${ctx}: HEAD had moved, yet the retry made another commit`)
      const r = JSON.parse(retry.stdout) as { newChunks: number }
      assert.ok(r.newChunks <= s.fullNewChunks, `${ctx}: retry stored ${r.newChunks} chunks, more than a clean commit (${s.fullNewChunks})`)
      if (kill.point === 'data-packs-saved' || kill.point === 'commit-objects-saved') assert.is(r.newChunks, 0, `${ctx}: every data pack was durable, yet the retry stored chunks again`)
    }
    const st = await status(dir)
    assert.ok(st.clean, `${ctx}: status after retry: ${JSON.stringify(st)}`)
    assert.is(fs.existsSync(path.join(dir, '.ankagit', 'index.lock')), false, `${ctx}: index.lock left behind`)
    const log = (await runOk(['log', '--oneline'], { cwd: dir })).stdout.trim().split('\n')
    assert.is(log.length, s.parent ? 2 : 1, `${ctx}: commits in the log`)
    await runOk(['gc', '-q', '--grace', '0'], { cwd: dir })
    const clean = await assertFsckPasses(dir, `${ctx}, after gc`)
    assert.equal(clean.notices, [], `${ctx}: gc left debris`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

for (const [name, withParent, seed] of [['initial', false, 1], ['second', true, 2]] as const) {
  test(`${name} commit: every crash point, then fsck, retry and gc`, async () => {
    const s = await prepare(name, withParent, seed)
    assert.ok(s.kills.length >= 9, `only ${s.kills.length} kills scheduled`)
    const v = fingerprint(s.template)
    let survived = 0
    for (const kill of s.kills) {
      await crashAndRecover(s, kill)
      survived++
    }
    assert.equal(fingerprint(s.template), v)
    reportKills(`commit (${name})`, s.kills, survived)
  })
}

test.run()
