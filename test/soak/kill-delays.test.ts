/**
 * Soak: kill -9 at seeded random moments instead of at named crash points, so states between the
 * points (a pack half written, a rename done but not its fsync, a worker mid-compression) get hit too.
 * Commits and checkouts alike; after each kill fsck passes, and a retry completes.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { spawn } from 'node:child_process'
import { CLI_MAIN, run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { copyTree, fingerprint, writeVersion1, writeVersion2 } from '../crash/bundle.js'
import { assertFsckPasses, status } from '../crash/harness.js'
import { soakRequested } from './soak-mode.js'

const KILLS = Number(process.env.ANKAGIT_SOAK_KILLS ?? 40)

/** Runs the command and SIGKILLs it after delayMs (if still running). */
function runAndKill(args: string[], cwd: string, delayMs: number): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, stdio: 'ignore' })
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
    child.on('close', (_code, signal) => {
      clearTimeout(timer)
      resolve({ killed: signal === 'SIGKILL' })
    })
  })
}

function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
}

if (soakRequested()) {
  const test = suite('soak: kill -9 at seeded random moments')
  const root = tmpDir('ankagit-soak-kill-')

  test(`commit and checkout killed at ${KILLS} random moments each`, async () => {
    const template = path.join(root, 'template')
    fs.mkdirSync(template)
    writeVersion1(template)
    const v1 = fingerprint(template)
    await runOk(['init', '-q'], { cwd: template })
    await runOk(['commit', '-q', '-m', 'v1'], { cwd: template })
    await runOk(['branch', 'old'], { cwd: template })
    writeVersion2(template)
    const v2 = fingerprint(template)
    const probe = path.join(root, 'probe')
    copyTree(template, probe)
    const t0 = Date.now()
    await runOk(['commit', '-q', '-m', 'v2'], { cwd: probe })
    const commitMs = Date.now() - t0
    const random = seeded(42)
    let killed = 0
    for (let i = 0; i < KILLS; i++) {
      const dir = path.join(root, `commit-${i}`)
      copyTree(template, dir)
      const delay = Math.floor(random() * commitMs)
      if ((await runAndKill(['commit', '-q', '-m', 'v2'], dir, delay)).killed) killed++
      await assertFsckPasses(dir, `commit killed after ${delay} ms`)
      const retry = await run(['commit', '-q', '-m', 'v2'], { cwd: dir })
      assert.ok(retry.code === 0 || /nothing to commit/.test(retry.stderr), `retry after ${delay} ms: ${retry.stderr}`)
      assert.ok((await status(dir)).clean)
      fs.rmSync(dir, { recursive: true, force: true })
    }
    const t1 = Date.now()
    await runOk(['checkout', '-q', 'old'], { cwd: probe })
    const checkoutMs = Date.now() - t1
    for (let i = 0; i < KILLS; i++) {
      const dir = path.join(root, `checkout-${i}`)
      copyTree(probe, dir)
      await runOk(['checkout', '-q', 'main'], { cwd: dir })
      await runOk(['status', '-q'], { cwd: dir })
      const delay = Math.floor(random() * checkoutMs)
      if ((await runAndKill(['checkout', '-q', 'old'], dir, delay)).killed) killed++
      await assertFsckPasses(dir, `checkout killed after ${delay} ms`)
      const st = await status(dir)
      const fp = JSON.stringify(fingerprint(dir))
      assert.ok(st.checkoutInterrupted || fp === JSON.stringify(v1) || fp === JSON.stringify(v2), `checkout killed after ${delay} ms: mixed files, not flagged`)
      await runOk(['checkout', '-q', '--force', 'old'], { cwd: dir })
      assert.equal(fingerprint(dir), v1)
      fs.rmSync(dir, { recursive: true, force: true })
    }
    console.log(`soak figures: ${2 * KILLS} kills at random moments within ${commitMs} ms (commit) and ${checkoutMs} ms (checkout), ${killed} landed before the command finished, all survived`)
  })

  test.run()
} else {
  console.log('soak tests skipped: run them with `npm run soak`')
}
