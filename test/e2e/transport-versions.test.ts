/**
 * Push, clone and pull of versions of one real VM bundle (sparse ext4 disk changed in place) through
 * a real `ankagit daemon` on 127.0.0.1: byte-identical with holes kept, only new chunks cross the
 * wire (as many bytes as `ankagit diff` says a transfer needs), an up-to-date fetch is one request,
 * and the requests of a push or pull do not grow with the number of chunks.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { updateVmInPlace } from '../../bench/corpus/vm.js'
import { type TestDaemon, fsckDaemonRoot, startDaemon } from '../helpers/daemon.js'
import { tmpDir } from '../helpers/tmp.js'
import { MIN_IDS_PER_STREAM } from '../../src/transport/stream-split.js'
import { MiB, assertSameBundle, cliJson, cliOk, fingerprint, makeVmRepo } from './transport-fixture.js'

const test = suite('push, clone and pull versions of a VM through a daemon')
let daemon: TestDaemon
let work: string

test.before(async () => {
  work = tmpDir('ankagit-tx-versions-')
  daemon = await startDaemon(path.join(work, 'root'))
})

test.after(async () => {
  assert.is(await daemon.stop(), 0, `the daemon exits 0 on SIGTERM (stderr: ${daemon.stderr()})`)
})

test('first push, clone, changed in place: only new chunks move, and both sides stay byte-identical', async () => {
  const vm = path.join(work, 'vm')
  const clone = path.join(work, 'clone')
  await makeVmRepo({ dir: vm, diskSize: 512 * MiB, dataBytes: 48 * MiB, seed: 21, memorySize: MiB })
  const v1 = fingerprint(vm)
  await cliOk(vm, ['remote', 'add', 'origin', `${daemon.url}/runner`])
  const first = await cliJson(vm, ['push'])
  assert.is(first.refs[0].status, 'created')
  assert.ok(first.sent.rawBytes > 40 * MiB, `the first push sends the data (${first.sent.rawBytes})`)
  assert.ok(first.sent.rawBytes < 200 * MiB, `and not the holes (${first.sent.rawBytes})`)

  const cloned = await cliJson(work, ['clone', `${daemon.url}/runner`, clone])
  assert.is(cloned.branch, 'main')
  assert.is(cloned.fetch.chunks.wanted, first.sent.chunkObjects, 'the clone asks for every chunk the push sent')
  assert.is(cloned.fetch.chunks.rawBytes, first.sent.rawBytes)
  assertSameBundle(clone, v1)

  await updateVmInPlace(vm, { seed: 22, changeBytes: 3 * MiB, method: 'debugfs' })
  await cliJson(vm, ['commit', '-m', 'second version'])
  const v2 = fingerprint(vm)
  const delta = await cliJson(vm, ['diff', 'HEAD~1', 'HEAD'])
  assert.ok(delta.transferBytes > 0 && delta.transferBytes < first.sent.rawBytes / 4, `diff: ${delta.transferBytes} bytes to transfer`)

  const dry = await cliJson(vm, ['push', '--dry-run'])
  const second = await cliJson(vm, ['push'])
  assert.is(second.refs[0].status, 'updated')
  assert.is(second.sent.rawBytes, delta.transferBytes, 'the push sends exactly the chunks diff says a transfer needs')
  assert.equal(dry.sent, second.sent, 'the dry run reported exactly what the push then sent')
  assert.ok(second.sent.chunkObjects < first.sent.chunkObjects / 4, `${second.sent.chunkObjects} of ${first.sent.chunkObjects} chunks`)

  const pulled = await cliJson(clone, ['pull'])
  assert.is(pulled.status, 'fast-forward')
  assert.is(pulled.fetch.chunks.rawBytes, delta.transferBytes, 'the pull asks for exactly the new chunks')
  // Whole stored frames travel when at least half of them is wanted (PROTOCOL.md § 6.4): at most 2x on the wire.
  assert.ok(pulled.fetch.chunks.objects >= pulled.fetch.chunks.wanted)
  assert.ok(pulled.fetch.stats.bytesReceived <= 2 * second.sent.bytes + MiB, `pull received ${pulled.fetch.stats.bytesReceived}, push sent ${second.sent.bytes}`)
  assertSameBundle(clone, v2)

  const upToDate = await cliJson(clone, ['fetch'])
  assert.is(upToDate.stats.requests, 1, 'an up-to-date fetch is one request')
  assert.is(upToDate.chunks.objects + upToDate.metadata.objects, 0)
  const again = await cliJson(vm, ['push'])
  assert.is(again.refs[0].status, 'up-to-date')
  assert.is(again.sent.chunkObjects, 0)

  for (const [name, r] of Object.entries(await fsckDaemonRoot(daemon.root))) assert.is(r.code, 0, `fsck of repository '${name}': ${r.stdout}${r.stderr}`)
  await cliOk(clone, ['fsck'])
  await cliOk(vm, ['fsck'])
})

test('requests per push and pull do not grow with the number of chunks', async () => {
  const vm = path.join(work, 'counted')
  const clone = path.join(work, 'counted-clone')
  await makeVmRepo({ dir: vm, diskSize: 512 * MiB, dataBytes: 24 * MiB, seed: 31, memorySize: MiB })
  await cliOk(vm, ['remote', 'add', 'origin', `${daemon.url}/counted`])
  await cliJson(vm, ['push'])
  await cliJson(work, ['clone', `${daemon.url}/counted`, clone])
  const round = async (seed: number, changeBytes: number) => {
    await updateVmInPlace(vm, { seed, changeBytes, method: 'debugfs' })
    await cliJson(vm, ['commit', '-m', `change of ${changeBytes} bytes`])
    const push = await cliJson(vm, ['push'])
    const pull = await cliJson(clone, ['pull'])
    return { push, pull }
  }
  // 4 MiB: over 64 chunks even on another host's files, so both changes use two parallel streams
  // (stream-split.ts keeps 64 or fewer on one); here 4 MiB moved 105 chunks and 40 MiB 758.
  const small = await round(32, 4 * MiB)
  const large = await round(33, 40 * MiB)
  const chunks = (r: typeof small) => r.push.sent.chunkObjects as number
  assert.ok(chunks(small) > MIN_IDS_PER_STREAM, `the small change moves ${chunks(small)} chunks`)
  assert.ok(chunks(large) >= 4 * chunks(small), `the larger change moves many more chunks (${chunks(small)} then ${chunks(large)})`)
  assert.is(large.push.stats.requests, small.push.stats.requests, 'push requests')
  assert.is(large.pull.fetch.stats.requests, small.pull.fetch.stats.requests, 'pull requests')
  assert.is(large.pull.fetch.chunks.rawBytes, large.push.sent.rawBytes)
  assert.equal(fingerprint(clone).files, fingerprint(vm).files)
})

test.run()
