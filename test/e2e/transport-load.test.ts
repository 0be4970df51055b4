/**
 * One daemon under load, as on a Monday morning of a CI fleet: 20 clients (10 fresh clones of a
 * template, 10 build hosts pulling it) while 5 pushers write at the same moment (one ships the
 * template's next version to the branch the others read, four create repositories of their own).
 * The build hosts pull over and over while the new version is pushed, and once more after it.
 * Every process must succeed; every clone and pull must hold exactly one committed version (the old
 * or the new, never a mix); every pushed VM must come back byte for byte; the daemon's root must
 * pass fsck with nothing lost, and its log must hold no internal error.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { updateVmInPlace } from '../../bench/corpus/vm.js'
import { type TestDaemon, fsckDaemonRoot, startDaemon } from '../helpers/daemon.js'
import { tmpDir } from '../helpers/tmp.js'
import { type Fingerprint, MiB, cli, cliJson, cliOk, fingerprint, makeVmRepo } from './transport-fixture.js'

const test = suite('20 clients and 5 pushers on one daemon')
const CLONES = 10
const PULLS = 10
const NEW_REPOS = 4

let work: string
let daemon: TestDaemon

test.before(async () => {
  work = tmpDir('ankagit-tx-load-')
  daemon = await startDaemon(path.join(work, 'root'))
})

test.after(async () => {
  await daemon.stop()
})

/** Runs jobs at most `width` at a time (setup work, so the load itself starts all at once). */
async function inBatches<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < jobs.length; i += width) out.push(...(await Promise.all(jobs.slice(i, i + width).map((j) => j()))))
  return out
}

test('every client and pusher succeeds, each VM is one whole version, nothing is lost', async () => {
  const url = `${daemon.url}/template`
  const template = path.join(work, 'template')
  const v1 = await makeVmRepo({ dir: template, diskSize: 128 * MiB, dataBytes: 6 * MiB, seed: 91, memorySize: MiB })
  await cliOk(template, ['push', url, 'main'])
  const printV1 = fingerprint(template)

  // Build hosts that already hold v1, and the next version of the template, ready to push.
  const hosts = Array.from({ length: PULLS }, (_, i) => path.join(work, `host-${i}`))
  await inBatches(hosts.map((h) => () => cliOk(work, ['clone', '-q', url, h])), 4)
  const updater = path.join(work, 'updater')
  await cliOk(work, ['clone', '-q', url, updater])
  await updateVmInPlace(updater, { seed: 92, changeBytes: 2 * MiB, method: 'debugfs' })
  const v2 = (await cliJson(updater, ['commit', '-m', 'template v2'])).id as string
  const printV2 = fingerprint(updater)
  const versions = new Map<string, Fingerprint>([[v1, printV1], [v2, printV2]])

  // Four other VMs, sharing nothing with the template, each to a repository of its own.
  const others = Array.from({ length: NEW_REPOS }, (_, i) => path.join(work, `other-${i}`))
  await inBatches(others.map((dir, i) => () => makeVmRepo({ dir, diskSize: 64 * MiB, dataBytes: 3 * MiB, seed: 200 + i, memorySize: MiB })), 2)

  const clones = Array.from({ length: CLONES }, (_, i) => path.join(work, `clone-${i}`))
  const pushV2 = cli(updater, ['push', '-q'])
  let pushing = true
  void pushV2.finally(() => (pushing = false))
  let pulls = 0
  // Each build host pulls again and again while v2 is being pushed, then once more after: reads land
  // before, during and after the branch moves.
  const pullUntilPushed = async (dir: string) => {
    do {
      const r = await cli(dir, ['pull', '-q'])
      pulls++
      if (r.code !== 0) return r
    } while (pushing)
    pulls++
    return cli(dir, ['pull', '-q'])
  }
  const started = [
    ...clones.map((dir) => ({ what: `clone into ${path.basename(dir)}`, run: cli(work, ['clone', '-q', url, dir]) })),
    ...hosts.map((dir) => ({ what: `pulls in ${path.basename(dir)}`, run: pullUntilPushed(dir) })),
    { what: 'push of template v2', run: pushV2 },
    ...others.map((dir, i) => ({ what: `push of other-${i}`, run: cli(dir, ['push', '-q', `${daemon.url}/other-${i}`, 'main']) })),
  ]
  const results = await Promise.all(started.map((s) => s.run))
  results.forEach((r, i) => assert.is(r.code, 0, `${started[i]!.what} exited ${r.code}: ${r.stderr}`))

  // Each clone and build host holds exactly the version its HEAD names, v1 or v2, byte for byte.
  let sawV2 = 0
  for (const dir of [...clones, ...hosts]) {
    const head = (await cliOk(dir, ['rev-parse', 'HEAD'])).stdout.trim()
    const want = versions.get(head)
    assert.ok(want, `${path.basename(dir)} is at ${head}, neither v1 nor v2`)
    assert.equal(fingerprint(dir).files, want.files, `${path.basename(dir)} holds all of ${head === v1 ? 'v1' : 'v2'}`)
    if (head === v2) sawV2++
    if (hosts.includes(dir)) assert.is(head, v2, `${path.basename(dir)} pulled after the push ended`)
    assert.is((await cli(dir, ['fsck', '-q'])).code, 0, `fsck in ${path.basename(dir)}`)
  }

  // The registry: main moved to v2, every new repository exists and clones back byte for byte.
  assert.match((await cliOk(work, ['ls-remote', url])).stdout, new RegExp(`^${v2}\\trefs/heads/main$`, 'm'))
  for (const [i, dir] of others.entries()) {
    const back = path.join(work, `back-${i}`)
    await cliOk(work, ['clone', '-q', `${daemon.url}/other-${i}`, back])
    assert.equal(fingerprint(back).files, fingerprint(dir).files, `other-${i} came back whole`)
  }
  const fsck = (await fsckDaemonRoot(daemon.root)).registry!
  assert.is(fsck.code, 0, `daemon root fsck: ${fsck.stdout} ${fsck.stderr}`)
  assert.not.match(daemon.stderr(), /internal error/i)
  console.log(`concurrency figures: one daemon, ${CLONES} clones and ${PULLS} build hosts (${pulls} pulls) while ${1 + NEW_REPOS} pushes ran: every process exited 0, ${CLONES + PULLS - sawV2} readers ended on the old version whole and ${sawV2} on the new one whole, daemon fsck clean, 0 objects lost`)
})

test.run()
