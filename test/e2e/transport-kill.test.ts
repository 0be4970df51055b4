/**
 * kill -9 in the middle of transfers, on a real VM bundle through a real daemon: of the client in
 * mid-push and mid-pull, and of the daemon in mid-push (restarted on the same root and port). Each
 * kill comes once a store has grown by a pack (objects are arriving: a pushing client is killed as
 * soon as the daemon starts saving a pack, which the daemon then finishes; a pulling client and the
 * daemon once they hold a durable pack); the retry completes, sends
 * less than the whole (the counters of a dry run before say what the whole is), both sides end
 * byte-identical, and fsck passes on the VM, the clone and every repository of the daemon root.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import * as path from 'node:path'
import { updateVmInPlace } from '../../bench/corpus/vm.js'
import { CLI_MAIN, type RunResult } from '../helpers/cli.js'
import { type TestDaemon, fsckDaemonRoot, packFilesWritten, packNames, startDaemon, waitUntil } from '../helpers/daemon.js'
import { tmpDir } from '../helpers/tmp.js'
import { ENV, MiB, assertCliError, cliJson, cliOk, fingerprint, makeVmRepo } from './transport-fixture.js'

const test = suite('kill -9 of client or daemon in mid-transfer')
let daemon: TestDaemon
let work: string
let vm: string
let clone: string

/** Runs the CLI in the background; `done` resolves with its result once it exits. */
function background(cwd: string, args: string[]): { kill9: () => void; done: Promise<RunResult> } {
  let kill9 = () => {}
  const done = new Promise<RunResult>((resolve) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANKAGIT_')))
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, env: { ...env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    kill9 = () => child.kill('SIGKILL')
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, stdoutBytes: Buffer.from(stdout) }))
  })
  return { kill9, done }
}

/** A new version with about 130 MB of new files (~43 MB compressed: two to three 16 MiB packs). */
async function bigChange(seed: number): Promise<void> {
  await updateVmInPlace(vm, { seed, changeBytes: 200 * MiB, method: 'debugfs' })
  await cliJson(vm, ['commit', '-m', `change ${seed}`])
}

async function assertAllFsck(): Promise<void> {
  for (const [name, r] of Object.entries(await fsckDaemonRoot(daemon.root))) assert.is(r.code, 0, `fsck of daemon repository '${name}': ${r.stdout}${r.stderr}`)
  await cliOk(vm, ['fsck'])
  await cliOk(clone, ['fsck'])
}

test.before(async () => {
  work = tmpDir('ankagit-tx-kill-')
  vm = path.join(work, 'vm')
  clone = path.join(work, 'clone')
  daemon = await startDaemon(path.join(work, 'root'))
  await makeVmRepo({ dir: vm, diskSize: 1024 * MiB, dataBytes: 8 * MiB, seed: 61, memorySize: MiB })
  await cliOk(vm, ['remote', 'add', 'origin', `${daemon.url}/runner`])
  await cliJson(vm, ['push'])
  await cliJson(work, ['clone', `${daemon.url}/runner`, clone])
})

test.after(async () => {
  await daemon.stop()
})

test('client killed in mid-push, then in mid-pull: each retry completes with less than the whole', async () => {
  await bigChange(62)
  const whole = await cliJson(vm, ['push', '--dry-run'])
  const serverPacks = packFilesWritten(path.join(daemon.root, 'objects'))
  const push = background(vm, ['push', '-q'])
  await waitUntil(() => packFilesWritten(path.join(daemon.root, 'objects')) > serverPacks, 'the daemon started saving a pack of the push')
  push.kill9()
  assert.is((await push.done).signal, 'SIGKILL', 'the push was killed before it finished')
  const retried = await cliJson(vm, ['push'])
  assert.is(retried.refs[0].status, 'updated')
  assert.ok(retried.sent.chunkObjects < whole.sent.chunkObjects, `the retry sent ${retried.sent.chunkObjects} of ${whole.sent.chunkObjects} chunks`)
  assert.ok(retried.sent.bytes < whole.sent.bytes)

  // The pull is killed once the clone holds a durable pack of it: a pack still being written dies with it.
  const clientPacks = packNames(path.join(clone, '.ankagit', 'objects')).length
  const pull = background(clone, ['pull', '-q'])
  await waitUntil(() => packNames(path.join(clone, '.ankagit', 'objects')).length > clientPacks, 'the clone saved a pack of the pull')
  pull.kill9()
  assert.is((await pull.done).signal, 'SIGKILL', 'the pull was killed before it finished')
  const pulled = await cliJson(clone, ['pull'])
  assert.is(pulled.status, 'fast-forward')
  assert.ok(pulled.fetch.chunks.wanted < whole.sent.chunkObjects, `the retried pull asked for ${pulled.fetch.chunks.wanted} of ${whole.sent.chunkObjects} chunks`)
  assert.equal(fingerprint(clone).files, fingerprint(vm).files)
  await assertAllFsck()
})

test('daemon killed in mid-push and restarted on the same root: the retry completes with less than the whole', async () => {
  await bigChange(63)
  const whole = await cliJson(vm, ['push', '--dry-run'])
  const objects = path.join(daemon.root, 'objects')
  const before = packNames(objects).length
  const push = background(vm, ['push', '-q'])
  await waitUntil(() => packNames(objects).length > before, 'the daemon saved a pack of the push')
  await daemon.kill9()
  const failed = await push.done
  assertCliError(failed, 7, /127\.0\.0\.1/)

  const port = new URL(daemon.url).port
  daemon = await startDaemon(daemon.root, { listen: `127.0.0.1:${port}` })
  const retried = await cliJson(vm, ['push'])
  assert.is(retried.refs[0].status, 'updated')
  assert.ok(retried.sent.chunkObjects < whole.sent.chunkObjects, `the retry sent ${retried.sent.chunkObjects} of ${whole.sent.chunkObjects} chunks`)
  const pulled = await cliJson(clone, ['pull'])
  assert.is(pulled.fetch.chunks.rawBytes, whole.sent.rawBytes, 'the pull gets the whole change, from what both pushes left')
  assert.equal(fingerprint(clone).files, fingerprint(vm).files)
  await assertAllFsck()
  assert.is(await daemon.stop(), 0)
})

test.run()
