/**
 * Data shared between VMs through one daemon: a second VM made from the first (bench/corpus
 * cloneVm: a copy with a few files rewritten in place) pushed to another repository of the same
 * daemon sends only its differences, and cloned next to a clone of the first with --shared-store it
 * fetches only them; and a suspended VM (disk plus memory.img) round-trips and stays suspended.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { CONFIG, DISK, MEMORY, NVRAM, cloneVm } from '../../bench/corpus/vm.js'
import { type TestDaemon, fsckDaemonRoot, startDaemon } from '../helpers/daemon.js'
import { allocatedBytes, differingBlocks } from '../helpers/sparse.js'
import { tmpDir } from '../helpers/tmp.js'
import { MiB, assertSameBundle, cliJson, cliOk, fingerprint, makeVmRepo } from './transport-fixture.js'

const test = suite('VMs that share data, and a suspended VM, through one daemon')
let daemon: TestDaemon
let work: string

test.before(async () => {
  work = tmpDir('ankagit-tx-shared-')
  daemon = await startDaemon(path.join(work, 'root'))
})

test.after(async () => {
  assert.is(await daemon.stop(), 0, `the daemon exits 0 on SIGTERM (stderr: ${daemon.stderr()})`)
})

test('a second VM sharing most data sends, and a shared-store clone fetches, only the difference', async () => {
  const base = path.join(work, 'base')
  const derived = path.join(work, 'derived')
  await makeVmRepo({ dir: base, diskSize: 512 * MiB, dataBytes: 32 * MiB, seed: 41, memorySize: MiB })
  await cliOk(base, ['remote', 'add', 'origin', `${daemon.url}/base`])
  const first = await cliJson(base, ['push'])

  await cloneVm(base, derived, { seed: 42, changeBytes: 2 * MiB })
  await cliOk(derived, ['init', '-q'])
  await cliJson(derived, ['commit', '-m', 'derived vm'])
  await cliOk(derived, ['remote', 'add', 'origin', `${daemon.url}/derived`])
  const second = await cliJson(derived, ['push'])
  assert.is(second.refs[0].status, 'created')
  // The ideal: every 64 KiB block of the disk that differs, plus the small files, which all changed.
  const { differ } = differingBlocks(path.join(base, DISK), path.join(derived, DISK))
  const small = fs.statSync(path.join(derived, CONFIG)).size + fs.statSync(path.join(derived, NVRAM)).size
  const ideal = differ * 65536 + small
  assert.ok(differ > 0, 'the clone changed some blocks')
  assert.ok(second.sent.rawBytes > 0 && second.sent.rawBytes <= 1.05 * ideal, `sent ${second.sent.rawBytes} raw bytes for ${differ} differing blocks (ideal ${ideal})`)
  assert.ok(second.sent.rawBytes < first.sent.rawBytes / 5, `the second VM sent ${second.sent.rawBytes} of ${first.sent.rawBytes}`)

  const store = path.join(work, 'host-store')
  const c1 = await cliJson(work, ['clone', `${daemon.url}/base`, path.join(work, 'c-base'), '--shared-store', store])
  assert.is(c1.fetch.chunks.rawBytes, first.sent.rawBytes)
  const c2 = await cliJson(work, ['clone', `${daemon.url}/derived`, path.join(work, 'c-derived'), '--shared-store', store])
  assert.is(c2.fetch.chunks.wanted, second.sent.chunkObjects, 'the second clone asks for exactly the chunks the second push sent')
  assert.is(c2.fetch.chunks.rawBytes, second.sent.rawBytes)
  assert.ok(c2.fetch.stats.bytesReceived < c1.fetch.stats.bytesReceived / 5)
  assertSameBundle(path.join(work, 'c-base'), fingerprint(base))
  assertSameBundle(path.join(work, 'c-derived'), fingerprint(derived))
  await cliOk(path.join(work, 'c-derived'), ['fsck'])
  await cliOk(path.join(work, 'c-base'), ['fsck'])
})

test('a suspended VM round-trips, and its commit says it is suspended on the clone', async () => {
  const vm = path.join(work, 'suspended')
  const clone = path.join(work, 'suspended-clone')
  const id = await makeVmRepo({ dir: vm, diskSize: 256 * MiB, dataBytes: 12 * MiB, seed: 51, suspended: true, memorySize: 48 * MiB }, 'suspended')
  assert.ok(fs.existsSync(path.join(vm, MEMORY)))
  await cliOk(vm, ['remote', 'add', 'origin', `${daemon.url}/suspended`])
  const pushed = await cliJson(vm, ['push'])
  const cloned = await cliJson(work, ['clone', `${daemon.url}/suspended`, clone])
  assert.is(cloned.fetch.chunks.rawBytes, pushed.sent.rawBytes)
  const want = fingerprint(vm)
  assert.equal(fingerprint(clone).files, want.files)
  // Holes are kept at chunk granularity: the disk's (whole 64 KiB blocks of zeros) within 5%; memory.img
  // has zero 4 KiB pages inside chunks, written as data (25.8 MB allocated here became 33.9 MB), so it
  // may take up to its non-zero 64 KiB blocks, and no more.
  const alloc = (dir: string, f: string) => allocatedBytes(path.join(dir, f))
  assert.ok(Math.abs(alloc(clone, DISK) - alloc(vm, DISK)) <= alloc(vm, DISK) * 0.05, `disk.img allocated ${alloc(clone, DISK)} vs ${alloc(vm, DISK)}`)
  const memory = path.join(vm, MEMORY)
  const nonZero = differingBlocks(memory, memory).nonZero * 65536
  assert.ok(alloc(clone, MEMORY) <= nonZero * 1.05, `memory.img allocated ${alloc(clone, MEMORY)}, non-zero 64 KiB blocks ${nonZero}`)
  assert.ok(alloc(clone, MEMORY) < fs.statSync(memory).size * 0.8, 'memory.img keeps its holes')
  const shown = await cliJson(clone, ['show'])
  assert.is(shown.commit.id, id)
  assert.equal(shown.commit.suspended, { memory: 'memory.img' })
  const log = await cliJson(clone, ['log'])
  assert.ok(log[0].suspended, 'log says suspended')
  for (const [name, r] of Object.entries(await fsckDaemonRoot(daemon.root))) assert.is(r.code, 0, `fsck of repository '${name}': ${r.stdout}${r.stderr}`)
})

test.run()
