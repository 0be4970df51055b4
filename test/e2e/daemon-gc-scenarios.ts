/**
 * The daemon gc scenarios, run against a daemon root on disk (daemon-gc.test.ts) and against
 * replicas sharing an S3 registry (daemon-gc-s3.test.ts): deleting a tag frees exactly the packs
 * only it reached, and gc running while pushes arrive loses nothing.
 */
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { blake3File } from '../helpers/sparse.js'
import { testCredentials } from '../helpers/s3.js'
import { openRegistry } from '../../src/daemon/open-registry.js'
import { listPackFiles } from '../../src/maintenance/pack-files.js'
import { type DaemonProcess, chunkedVm, cliEnv, commitAll, writeRandomBlocks } from './scaleout-cluster.js'

export interface GcSetup {
  /** The registry: a daemon root directory or an s3:// location. */
  location: string
  /** Daemons serving it (one, or two replicas). */
  daemons: DaemonProcess[]
  /** A scratch folder for VM directories. */
  dir: string
  /** Makes every pack stored so far older than `grace`: by setting mtimes, or by waiting. */
  ageStore: () => Promise<void>
  /** The grace period gc runs with in the concurrent scenario (seconds). */
  grace: number
}

/** Every pack of the registry with the bytes of its pack and index files. */
export async function packSizes(location: string): Promise<Map<string, number>> {
  const registry = await openRegistry(location, { create: false, s3: { credentials: testCredentials() } })
  const out = new Map<string, number>()
  for (const f of await listPackFiles(registry.objects.backend)) out.set(f.name, (f.pack?.size ?? 0) + (f.index?.size ?? 0))
  return out
}

export function gcArgs(s: GcSetup, ...more: string[]): string[] {
  return ['gc', s.location.startsWith('s3://') ? '--store' : '--root', s.location, '--json', ...more]
}

const env = cliEnv()
const inDir = (cwd: string) => ({ cwd, env })

/** Pushes a VM to `vm` main, and a scratch commit on top of it as tag `scratch`, then deletes the tag. */
export async function tagDeletionFreesExactly(s: GcSetup): Promise<void> {
  const vm = path.join(s.dir, 'vm')
  await chunkedVm(vm, 24)
  const url = `${s.daemons[0]!.url}/vm`
  await runOk(['push', url, 'main'], inDir(vm))
  const withMain = await packSizes(s.location)

  // The scratch commit shares the 24 chunks of main and adds 12 of its own, plus its trees.
  writeRandomBlocks(path.join(vm, 'disk.img'), 200, 12)
  await commitAll(vm, 'scratch')
  await runOk(['push', url, 'HEAD:refs/tags/scratch'], inDir(vm))
  const withTag = await packSizes(s.location)
  const onlyTag = [...withTag.keys()].filter((n) => !withMain.has(n)).sort()
  assert.ok(onlyTag.length > 0, 'the tag push stored packs')
  const tagBytes = onlyTag.reduce((a, n) => a + withTag.get(n)!, 0)

  // Nothing is freed while the tag exists.
  const kept = JSON.parse((await runOk(gcArgs(s, '--grace', '0'), inDir(s.dir))).stdout)
  assert.equal([kept.bytesFreed, kept.repositories], [0, ['vm']])

  await runOk(['push', url, '--delete', 'refs/tags/scratch'], inDir(vm))
  const dry = JSON.parse((await runOk(gcArgs(s, '--grace', '0', '--dry-run'), inDir(s.dir))).stdout)
  assert.is(dry.dryRun, true)
  assert.equal(dry.packsDeleted.map((p: { name: string }) => p.name).sort(), onlyTag)
  assert.is(dry.bytesFreed, tagBytes, 'the dry run reports exactly the bytes of the packs only the tag reached')
  assert.equal(await packSizes(s.location), withTag, 'a dry run changes nothing')

  const real = JSON.parse((await runOk(gcArgs(s, '--grace', '0'), inDir(s.dir))).stdout)
  assert.is(real.bytesFreed, tagBytes)
  assert.equal(real.packsRewritten, [])
  assert.equal(await packSizes(s.location), withMain, 'exactly the packs only the tag reached are gone')

  // The daemons kept running through it, and main is whole through each of them.
  await runOk(['checkout', '-q', 'HEAD~1'], inDir(vm))
  for (const [i, d] of s.daemons.entries()) {
    const clone = path.join(s.dir, `clone-${i}`)
    await runOk(['clone', '-q', `${d.url}/vm`, clone], inDir(s.dir))
    assert.is(blake3File(path.join(clone, 'disk.img')), blake3File(path.join(vm, 'disk.img')))
    await runOk(['fsck', '-q'], inDir(clone))
  }
}

/**
 * gc runs again and again while pushes arrive through the last daemon: a push of new data (its
 * packs are younger than the grace period) and a push whose commit reuses exactly the chunks of a
 * deleted tag, which gc found dead. A push may be refused when gc removed an object it counted on
 * (the connectivity check); retried, it sends what is missing. Nothing any ref names is ever lost.
 */
export async function gcBesidePushLosesNothing(s: GcSetup): Promise<{ bytesFreed: number[]; gcRefused: number; refusedPushes: number }> {
  const first = `${s.daemons[0]!.url}/vm`
  const last = s.daemons[s.daemons.length - 1]!.url
  const vm = path.join(s.dir, 'vm')
  await chunkedVm(vm, 16)
  await runOk(['push', first, 'main'], inDir(vm))
  // The tag's 40 chunks of its own are dead once it is deleted; a copy of its disk is kept aside.
  writeRandomBlocks(path.join(vm, 'disk.img'), 300, 40)
  await commitAll(vm, 'tagged')
  await runOk(['push', first, 'HEAD:refs/tags/old'], inDir(vm))
  const tagged = path.join(s.dir, 'tagged.img')
  fs.copyFileSync(path.join(vm, 'disk.img'), tagged)
  await runOk(['push', first, '--delete', 'refs/tags/old'], inDir(vm))
  await s.ageStore()

  // Push 1: vm main moves to a commit whose disk is the deleted tag's. Push 2: a new repository, 300 fresh chunks.
  const reuse = path.join(s.dir, 'reuse')
  await runOk(['clone', '-q', first, reuse], inDir(s.dir))
  fs.copyFileSync(tagged, path.join(reuse, 'disk.img'))
  const reuseCommit = await commitAll(reuse, 'the deleted tag, again')
  const fresh = path.join(s.dir, 'fresh')
  const freshCommit = await chunkedVm(fresh, 300)

  let pushing = true
  const bytesFreed: number[] = []
  let gcRefused = 0
  const gcLoop = (async () => {
    while (pushing || bytesFreed.length < 2) {
      const r = await run(gcArgs(s, '--grace', String(s.grace)), inDir(s.dir))
      if (r.code === 0) bytesFreed.push(JSON.parse(r.stdout).bytesFreed)
      else {
        // Fail-closed, deleting nothing: a refused push left young metadata naming an object an
        // earlier gc run removed; it stops once the push is retried (or its pack ages out).
        assert.match(r.stderr, /younger than the grace period\), is missing/, `gc beside pushes: ${r.stderr}`)
        gcRefused++
      }
    }
  })()
  // Collected now and awaited below, so a failed assertion in the loop fails this test, not the process.
  const gcDone = gcLoop.then(() => undefined, (err: unknown) => err)
  let refusedPushes = 0
  const pushWithRetry = async (cwd: string, url: string) => {
    const r = await run(['push', url, 'main'], inDir(cwd))
    if (r.code === 0) return
    refusedPushes++
    assert.match(r.stderr, /missing on the server/, `a push racing gc fails only for an object gc removed: ${r.stderr}`)
    await runOk(['push', url, 'main'], inDir(cwd))
  }
  try {
    await Promise.all([pushWithRetry(reuse, `${last}/vm`), pushWithRetry(fresh, `${last}/fresh`)])
  } finally {
    pushing = false
  }
  const gcError = await gcDone
  if (gcError) throw gcError

  // Every ref is whole, through every daemon, and a last gc (with the grace period) keeps it so.
  await runOk(gcArgs(s, '--grace', String(s.grace)), inDir(s.dir))
  for (const [repo, commit, disk] of [['vm', reuseCommit, tagged], ['fresh', freshCommit, path.join(fresh, 'disk.img')]] as const) {
    for (const [i, d] of s.daemons.entries()) {
      const clone = path.join(s.dir, `check-${repo}-${i}`)
      const r = JSON.parse((await runOk(['clone', `${d.url}/${repo}`, clone, '--json'], inDir(s.dir))).stdout)
      assert.is(r.checkout.id, commit)
      assert.is(blake3File(path.join(clone, 'disk.img')), blake3File(disk))
      await runOk(['fsck', '-q'], inDir(clone))
    }
  }
  return { bytesFreed, gcRefused, refusedPushes }
}
