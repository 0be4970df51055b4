/**
 * kill -9 at every crash point of `ankagit checkout`, in both directions between two versions (one
 * removes a file, restores another, rewrites chunks inside the disk image and punches a hole; the
 * other the reverse). After each kill: fsck passes, and the VM directory is either exactly the old
 * version, exactly the new one, or `status` flags an interrupted checkout (and commit refuses to
 * record it). `checkout --force` then completes and gives the target byte for byte.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { copyTree, fingerprint, writeVersion1, writeVersion2 } from './bundle.js'
import { assertFsckPasses, killSchedule, label, reportKills, runKilled, soak, status, tracePoints } from './harness.js'

const test = suite('crash: kill -9 during checkout')
const root = tmpDir('ankagit-crash-checkout-')

/** A repository with v1 on branch 'old' and v2 on 'main'; `start` is the branch checked out. */
async function makeTemplate(start: 'old' | 'main'): Promise<{ dir: string; v1: Record<string, string>; v2: Record<string, string> }> {
  const dir = path.join(root, `template-${start}`)
  fs.mkdirSync(dir)
  writeVersion1(dir)
  const v1 = fingerprint(dir)
  await runOk(['init', '-q'], { cwd: dir })
  await runOk(['commit', '-q', '-m', 'v1'], { cwd: dir })
  await runOk(['branch', 'old'], { cwd: dir })
  writeVersion2(dir)
  const v2 = fingerprint(dir)
  await runOk(['commit', '-q', '-m', 'v2'], { cwd: dir })
  if (start === 'old') await runOk(['checkout', '-q', 'old'], { cwd: dir })
  return { dir, v1, v2 }
}

/** A fresh copy with a valid index, so checkout trusts the files and writes only differing chunks. */
async function freshCopy(template: string, name: string): Promise<string> {
  const dir = path.join(root, name)
  copyTree(template, dir)
  await runOk(['status', '-q'], { cwd: dir })
  return dir
}

for (const [from, to, seed] of [['main', 'old', 3], ['old', 'main', 4]] as const) {
  test(`checkout ${from} -> ${to}: every crash point leaves the old version, the new one, or a flagged interruption`, async () => {
    const t = await makeTemplate(from)
    const want = { old: t.v1, main: t.v2 }
    const probe = await freshCopy(t.dir, `probe-${from}`)
    const { counts, result } = await tracePoints(['checkout', '-q', to], probe, root)
    assert.is(result.code, 0, result.stderr)
    assert.equal(fingerprint(probe), want[to])
    fs.rmSync(probe, { recursive: true, force: true })
    assert.ok(counts.get('assemble-batch-written')! >= 2, 'the checkout writes more than one batch')

    // The way back reaches the same points: its first hits are enough outside soak runs.
    const kills = killSchedule(counts, seed).filter((k) => from === 'main' || soak() || k.nth === 1)
    let survived = 0
    let flagged = 0
    for (const kill of kills) {
      const dir = await freshCopy(t.dir, `case-${from}-${label(kill).replace(':', '-')}`)
      const ctx = `checkout ${to} killed at ${label(kill)}`
      try {
        await runKilled(['checkout', '-q', to], dir, kill)
        await assertFsckPasses(dir, ctx)
        const st = await status(dir)
        if (st.checkoutInterrupted) {
          flagged++
          assert.not.ok(st.clean, `${ctx}: an interrupted checkout reported clean`)
          assert.ok(st.warnings.some((w) => /checkout was interrupted/.test(w)), `${ctx}: no warning`)
          if (flagged === 1 || soak()) {
            const refused = await run(['commit', '-m', 'mixed'], { cwd: dir })
            assert.is(refused.code, 9, `${ctx}: commit of an interrupted checkout: ${refused.stderr}`)
          }
        } else {
          const fp = fingerprint(dir)
          const same = (a: Record<string, string>) => JSON.stringify(a) === JSON.stringify(fp)
          assert.ok(same(want[from]) || same(want[to]), `${ctx}: files are neither version and status does not flag it: ${JSON.stringify(st)}`)
          assert.ok(st.clean, `${ctx}: status not clean: ${JSON.stringify(st)}`)
          assert.is(st.branch, same(want[to]) ? to : from, `${ctx}: HEAD does not match the files`)
        }
        await runOk(['checkout', '-q', '--force', to], { cwd: dir })
        assert.equal(fingerprint(dir), want[to], `${ctx}: retried checkout`)
        const done = await status(dir)
        assert.ok(done.clean && !done.checkoutInterrupted && done.branch === to, `${ctx}: status after retry: ${JSON.stringify(done)}`)
        survived++
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
    reportKills(`checkout ${from} -> ${to} (${flagged} flagged as interrupted)`, kills, survived)
  })
}

test.run()
