import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { blake3File } from '../helpers/sparse.js'
import { makeVm } from '../../bench/corpus/vm.js'
import { ENV, MiB, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit gc')

function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of fs.readdirSync(dir).sort()) if (name !== '.ankagit') out[name] = blake3File(path.join(dir, name))
  return out
}

function packFiles(store: string): string[] {
  return fs.readdirSync(path.join(store, 'packs')).sort()
}

/** Makes every file of the store look written two hours ago, past the default grace period. */
function age(store: string): void {
  const then = Date.now() / 1000 - 7200
  for (const f of fs.readdirSync(path.join(store, 'packs'))) fs.utimesSync(path.join(store, 'packs', f), then, then)
}

test('everything reachable is kept: after gc, fsck passes and both versions check out byte for byte', async () => {
  const repo = await vmRepo('gc-keep')
  await repo.run(['tag', '-a', 'v1', '-m', 'one', 'HEAD~1'])
  const v2 = fingerprint(repo.dir)
  await repo.run(['checkout', '-q', 'v1'])
  const v1 = fingerprint(repo.dir)
  await repo.run(['checkout', '-q', 'main'])
  const store = path.join(repo.dir, '.ankagit', 'objects')
  const before = packFiles(store)
  const r = JSON.parse((await repo.run(['gc', '--grace', '0', '--json'])).stdout)
  assert.equal([r.bytesFreed, r.packsDeleted, r.packsRewritten], [0, [], []])
  assert.equal(packFiles(store), before)
  await repo.run(['fsck', '-q'])
  await repo.run(['checkout', '-q', 'v1'])
  assert.equal(fingerprint(repo.dir), v1)
  await repo.run(['checkout', '-q', 'main'])
  assert.equal(fingerprint(repo.dir), v2)
})

test("a deleted branch's unique data is freed, never before the grace period; the dry run is exact", async () => {
  const root = tmpDir('ankagit-gc-shared-')
  const store = path.join(root, 'store')
  const a = path.join(root, 'a')
  const b = path.join(root, 'b')
  await makeVm({ dir: a, diskSize: 32 * MiB, dataBytes: 2 * MiB, seed: 11, memorySize: MiB })
  await makeVm({ dir: b, diskSize: 32 * MiB, dataBytes: 3 * MiB, seed: 12, memorySize: MiB })
  for (const dir of [a, b]) {
    await runOk(['init', '-q', '--shared-store', store], { cwd: dir })
    await runOk(['commit', '-q', '-m', path.basename(dir)], { cwd: dir, env: ENV })
  }
  const vmA = fingerprint(a)
  // VM b was scratch: a keeps its commit on a branch, then b's directory is deleted.
  const bCommit = (await runOk(['rev-parse', 'HEAD'], { cwd: b })).stdout.trim()
  await runOk(['branch', 'from-b', bCommit], { cwd: a })
  fs.rmSync(b, { recursive: true })
  const refused = await run(['gc'], { cwd: a })
  assertCliError(refused, 10, /repository '.*\/b\/\.ankagit' is registered as a user of the shared store '.*' but does not exist; if it was deleted, remove '.*\/users\/[0-9a-f]+' and run gc again/)
  fs.rmSync(/remove '([^']+)'/.exec(refused.stderr)![1]!)

  const kept = JSON.parse((await runOk(['gc', '--grace', '0', '--json'], { cwd: a })).stdout)
  assert.is(kept.bytesFreed, 0, 'the branch keeps b\'s data')
  await runOk(['branch', '-D', 'from-b'], { cwd: a })
  const before = packFiles(store)
  const young = JSON.parse((await runOk(['gc', '--json'], { cwd: a })).stdout)
  assert.equal([young.bytesFreed, young.packsDeleted], [0, []])
  assert.is(young.youngPacks, before.length / 2)
  assert.equal(packFiles(store), before, 'nothing younger than the grace period is touched')

  age(store)
  const dry = await runOk(['gc', '--dry-run'], { cwd: a })
  assert.match(dry.stdout, /^would remove pack [0-9a-f]{64} \(.+, \d+ objects\)$/m)
  const dryJson = JSON.parse((await runOk(['gc', '--dry-run', '--json'], { cwd: a })).stdout)
  assert.equal(packFiles(store), before, 'a dry run changes nothing')
  assert.ok(dryJson.packsDeleted.length >= 2 && dryJson.bytesFreed > 100_000, `b's data and metadata are freed (${dryJson.bytesFreed})`)
  const sizes = new Map(before.map((f) => [f, fs.statSync(path.join(store, 'packs', f)).size]))
  const real = JSON.parse((await runOk(['gc', '--json'], { cwd: a })).stdout)
  assert.equal({ ...real, dryRun: true, packsWritten: real.packsWritten.map((p: { bytes: number; objects: number }) => ({ bytes: p.bytes, objects: p.objects })) }, dryJson)
  const gone = real.packsDeleted.map((p: { name: string }) => p.name)
  for (const name of gone) assert.not.ok(fs.existsSync(path.join(store, 'packs', `${name}.pack`)), name)
  const after = packFiles(store)
  const removed = before.filter((f) => !after.includes(f)).reduce((n, f) => n + sizes.get(f)!, 0)
  const added = after.filter((f) => !before.includes(f)).reduce((n, f) => n + fs.statSync(path.join(store, 'packs', f)).size, 0)
  assert.is(removed - added, real.bytesFreed, 'bytesFreed is what left the disk')
  await runOk(['fsck', '-q'], { cwd: a })
  assertCliError(await run(['cat-file', '-t', bCommit], { cwd: a }), 10, /not found/)
  await runOk(['checkout', '-q', '--force', 'HEAD'], { cwd: a })
  assert.equal(fingerprint(a), vmA)
})

test('a repository the shared store does not list is refused', async () => {
  const root = tmpDir('ankagit-gc-unlisted-')
  const store = path.join(root, 'store')
  const dir = path.join(root, 'vm')
  fs.mkdirSync(dir)
  fs.writeFileSync(path.join(dir, 'config.json'), '{}')
  await runOk(['init', '-q', '--shared-store', store], { cwd: dir })
  for (const f of fs.readdirSync(path.join(store, 'users'))) fs.rmSync(path.join(store, 'users', f))
  assertCliError(await run(['gc'], { cwd: dir }), 2, /is not registered as a user of the shared store/)
})

test('old packs without an index and old temp files are removed; young ones stay', async () => {
  const repo = await vmRepo('gc-debris')
  const store = path.join(repo.dir, '.ankagit', 'objects')
  const then = Date.now() / 1000 - 7200
  const put = (rel: string, bytes: number, old: boolean) => {
    fs.mkdirSync(path.dirname(path.join(store, rel)), { recursive: true })
    fs.writeFileSync(path.join(store, rel), Buffer.alloc(bytes))
    if (old) fs.utimesSync(path.join(store, rel), then, then)
  }
  put(`packs/${'ab'.repeat(32)}.pack`, 5000, true)
  put(`packs/${'cd'.repeat(32)}.pack`, 3000, false)
  put('tmp/old.pack.1.tmp', 700, true)
  put('tmp/new.pack.2.tmp', 300, false)
  const r = await repo.run(['gc'])
  assert.match(r.stdout, new RegExp(`^removed unindexed pack ${'ab'.repeat(32)} \\(4\\.9 KiB\\)$`, 'm'))
  assert.match(r.stdout, /^removed temp file tmp\/old\.pack\.1\.tmp \(700 B\)$/m)
  assert.match(r.stdout, /^freed 5\.6 KiB \(5700 bytes, 0 objects\)/m)
  assert.ok(fs.existsSync(path.join(store, 'packs', `${'cd'.repeat(32)}.pack`)))
  assert.equal(fs.readdirSync(path.join(store, 'tmp')), ['new.pack.2.tmp'])
  assertCliError(await run(['gc', '--grace', 'soon'], { cwd: repo.dir }), 2, /invalid grace period 'soon'/)
})

test.run()
