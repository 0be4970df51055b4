/**
 * Local concurrency: two commits racing in one VM directory (one gets LockedError, exit 4, one line
 * naming the holder; nothing corrupt); a live lock holder (stopped with SIGSTOP, so the race is
 * decided, not timed) is never taken over, a killed one's stale index.lock is; commits in two VM
 * directories sharing one object store at the same moment both succeed; gc running while commits
 * run, with old garbage for it to delete, loses nothing.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { spawn } from 'node:child_process'
import { run, runOk, CLI_MAIN } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { makeSparseFile } from '../helpers/sparse.js'
import { MiB, writeVersion1, writeVersion2 } from '../crash/bundle.js'
import { assertFsckPasses, headId, status } from '../crash/harness.js'
import { currentLockOwner, encodeLockOwner } from '../../src/refs/lock-owner.js'

const test = suite('concurrency: locks, shared stores, gc beside commits')

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  assert.ok(cond(), `timed out waiting for ${what}`)
}

test('two commits racing in one VM directory: the second gets LockedError (exit 4), the first completes', async () => {
  const dir = tmpDir('ankagit-race-')
  writeVersion1(dir)
  await runOk(['init', '-q'], { cwd: dir })
  const lock = path.join(dir, '.ankagit', 'index.lock')
  const first = spawn(process.execPath, [CLI_MAIN, 'commit', '-q', '-m', 'first'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  let firstErr = ''
  first.stderr.on('data', (d) => (firstErr += d))
  const exited = new Promise<number | null>((r) => first.on('close', (code) => r(code)))
  await waitFor(() => fs.existsSync(lock), 'the first commit to take index.lock')
  // Stopped, the holder is alive but cannot finish: the second commit must find the lock held.
  first.kill('SIGSTOP')
  try {
    const second = await run(['commit', '-m', 'second'], { cwd: dir })
    assert.is(second.code, 4, second.stderr)
    assert.is(second.stderr.trim().split('\n').length, 1)
    assert.match(second.stderr, new RegExp(`^ankagit: the VM directory '.*' is locked by pid ${first.pid} on host '.*': lock file '.*index\\.lock'`))
    const st = await run(['status', '--json'], { cwd: dir })
    assert.is(st.code, 0, `status beside a running commit: ${st.stderr}`)
  } finally {
    first.kill('SIGCONT')
  }
  assert.is(await exited, 0, firstErr)
  assert.is(fs.existsSync(lock), false, 'the first commit released its lock')
  await assertFsckPasses(dir, 'after the race')
  assert.is((await runOk(['log', '--oneline'], { cwd: dir })).stdout.trim().split('\n').length, 1)
  assert.ok((await status(dir)).clean)
})

test('a stale index.lock of a killed commit is recovered; a live one is not', async () => {
  const dir = tmpDir('ankagit-stale-')
  writeVersion1(dir)
  await runOk(['init', '-q'], { cwd: dir })
  const lock = path.join(dir, '.ankagit', 'index.lock')
  const killed = await run(['commit', '-q', '-m', 'x'], { cwd: dir, env: { ANKAGIT_CRASH_AT: 'data-packs-saved' } })
  assert.is(killed.signal, 'SIGKILL')
  assert.ok(fs.existsSync(lock), 'kill -9 left index.lock behind')
  const pid = Number(/^pid (\d+)$/m.exec(fs.readFileSync(lock, 'utf8'))?.[1])
  assert.ok(pid > 0)
  // The lock names a dead process of this host and boot: the next commit proves it dead and takes over.
  await runOk(['commit', '-q', '-m', 'after the kill'], { cwd: dir })
  assert.is(fs.existsSync(lock), false)
  await assertFsckPasses(dir, 'after recovering the stale lock')
  // A lock whose owner is alive (this test process) is left alone, however old it is.
  const live = encodeLockOwner(currentLockOwner())
  fs.writeFileSync(lock, live)
  fs.utimesSync(lock, new Date(0), new Date(0))
  writeVersion2(dir)
  const refused = await run(['commit', '-m', 'blocked'], { cwd: dir })
  assert.is(refused.code, 4, refused.stderr)
  assert.is(fs.readFileSync(lock, 'utf8'), live, 'a live lock is never removed')
  fs.rmSync(lock)
  await runOk(['commit', '-q', '-m', 'v2'], { cwd: dir })
})

/** Two VM directories on one shared store, each with version 1 committed. */
async function sharedPair(): Promise<{ a: string; b: string; store: string }> {
  const root = tmpDir('ankagit-shared-')
  const store = path.join(root, 'store')
  const a = path.join(root, 'a')
  const b = path.join(root, 'b')
  for (const d of [a, b]) {
    fs.mkdirSync(d)
    writeVersion1(d)
    await runOk(['init', '-q', '--shared-store', store], { cwd: d })
  }
  return { a, b, store }
}

test('commits in two VM directories sharing one store at the same moment both succeed, fsck passes for both', async () => {
  const { a, b } = await sharedPair()
  const rounds = process.env.ANKAGIT_SOAK === '1' ? 12 : 3
  for (let round = 0; round < rounds; round++) {
    // Shared chunks (the same v1 disk in round 0) and chunks of each VM alone.
    if (round > 0) {
      for (const [d, seed] of [[a, 500 + round], [b, 600 + round]] as const) makeSparseFile(path.join(d, 'Data', `r${round}.img`), 8 * MiB, [{ offset: 0, length: 6 * MiB, seed }, { offset: 7 * MiB, length: MiB, seed: 700 + round }])
    }
    const [ra, rb] = await Promise.all([run(['commit', '-q', '-m', `a ${round}`], { cwd: a }), run(['commit', '-q', '-m', `b ${round}`], { cwd: b })])
    assert.is(ra.code, 0, ra.stderr)
    assert.is(rb.code, 0, rb.stderr)
  }
  for (const d of [a, b]) {
    await assertFsckPasses(d, `shared store, ${path.basename(d)}`)
    assert.ok((await status(d)).clean)
    assert.is((await runOk(['log', '--oneline'], { cwd: d })).stdout.trim().split('\n').length, rounds)
  }
  console.log(`concurrency figures: ${rounds} rounds of 2 simultaneous commits on one shared store, 0 failures`)
})

test('gc beside running commits, with old garbage to delete, loses nothing', async () => {
  const { a, b, store } = await sharedPair()
  await runOk(['commit', '-q', '-m', 'a1'], { cwd: a })
  await runOk(['commit', '-q', '-m', 'b1'], { cwd: b })
  // Garbage: a branch of b with data no one else has, deleted, its packs made two hours old.
  await runOk(['branch', 'junk'], { cwd: b })
  await runOk(['checkout', '-q', 'junk'], { cwd: b })
  makeSparseFile(path.join(b, 'Data', 'junk.img'), 8 * MiB, [{ offset: 0, length: 8 * MiB, seed: 900 }])
  await runOk(['commit', '-q', '-m', 'junk'], { cwd: b })
  await runOk(['checkout', '-q', 'main'], { cwd: b })
  await runOk(['branch', '-q', '-D', 'junk'], { cwd: b })
  fs.rmSync(path.join(b, '.ankagit', 'logs', 'HEAD'))
  const old = new Date(Date.now() - 2 * 3600 * 1000)
  for (const f of fs.readdirSync(path.join(store, 'packs'))) fs.utimesSync(path.join(store, 'packs', f), old, old)

  const rounds = process.env.ANKAGIT_SOAK === '1' ? 8 : 3
  let freed = 0
  for (let round = 0; round < rounds; round++) {
    for (const [d, seed] of [[a, 1000 + round], [b, 1100 + round]] as const) makeSparseFile(path.join(d, 'Data', `g${round}.img`), 12 * MiB, [{ offset: 0, length: 10 * MiB, seed }])
    const commits = Promise.all([run(['commit', '-q', '-m', `a g${round}`], { cwd: a }), run(['commit', '-q', '-m', `b g${round}`], { cwd: b })])
    // gc in a loop, from either repository, for as long as the commits run.
    let gcs = 0
    let done = false
    void commits.then(() => (done = true))
    while (!done || gcs === 0) {
      const g = await run(['gc', '--json'], { cwd: gcs % 2 ? a : b })
      assert.is(g.code, 0, `gc beside commits: ${g.stderr}`)
      freed += (JSON.parse(g.stdout) as { bytesFreed: number }).bytesFreed
      gcs++
    }
    for (const r of await commits) assert.is(r.code, 0, r.stderr)
  }
  assert.ok(freed >= 8 * MiB, `gc freed the old garbage (${freed} bytes)`)
  for (const d of [a, b]) {
    const report = await assertFsckPasses(d, `after gc beside commits, ${path.basename(d)}`)
    assert.equal(report.problems, [])
    assert.ok((await status(d)).clean)
  }
  assert.ok(await headId(a))
  console.log(`concurrency figures: ${rounds} rounds of 2 commits with gc looping beside them, ${freed} bytes freed, 0 objects lost`)
})

test.run()
