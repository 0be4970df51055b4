/**
 * End-to-end checks of the corpus maker on small bundles (256 MiB disk, 24 MB of files):
 * sparse, valid ext4, deterministic, and updated in place by both methods. Needs root for the
 * loop mount, as CI has.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { checkExt4Image } from '../../../bench/corpus/ext4-image.js'
import { cloneVm, makeVm, suspendVm, updateVmInPlace } from '../../../bench/corpus/vm.js'
import { allocatedBytes, blake3File, differingBlocks, sameFiles } from '../../helpers/sparse.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const MiB = 2 ** 20
const DISK_SIZE = 256 * MiB
const DATA = 24_000_000
const MEMORY = 16 * MiB
const FILES = ['disk.img', 'config.json', 'nvram.bin', 'memory.img']

const test = suite('vm')
let root = ''
let template = ''

test.before(async () => {
  root = tmpDir('ankagit-corpus-vm-')
  template = path.join(root, 'template')
  await makeVm({ dir: template, diskSize: DISK_SIZE, dataBytes: DATA, seed: 1, suspended: true, memorySize: MEMORY })
})

test.after(() => removeTmpDirs())

function copyBundle(name: string): string {
  const dest = path.join(root, name)
  fs.mkdirSync(dest)
  for (const f of fs.readdirSync(template)) execFileSync('cp', ['--sparse=always', path.join(template, f), path.join(dest, f)])
  return dest
}

async function rejectsWith(fn: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await fn()
  } catch (err) {
    assert.match((err as Error).message, pattern)
    return
  }
  assert.unreachable(`expected a rejection matching ${pattern}`)
}

function loopDevicesFor(dir: string): string {
  return execFileSync('losetup', ['-a'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(dir)).join('\n')
}

test('makeVm writes a sparse bundle with a valid ext4 disk', async () => {
  assert.equal(fs.readdirSync(template).sort(), [...FILES].sort())
  const disk = path.join(template, 'disk.img')
  assert.is(fs.statSync(disk).size, DISK_SIZE)
  const used = allocatedBytes(disk)
  assert.ok(used >= DATA * 0.9, `disk holds ${used} bytes, less than its ${DATA} bytes of files`)
  assert.ok(used < DISK_SIZE / 3, `disk is not sparse: ${used} of ${DISK_SIZE} bytes allocated`)
  await checkExt4Image(disk)
  const config = JSON.parse(fs.readFileSync(path.join(template, 'config.json'), 'utf8'))
  assert.is(config.diskSize, DISK_SIZE)
  assert.is(config.memorySize, MEMORY)
  assert.is(config.suspended, true)
  assert.match(config.macAddress, /^52:54:00(:[0-9a-f]{2}){3}$/)
  const nvram = path.join(template, 'nvram.bin')
  assert.ok(fs.statSync(nvram).size >= 256 * 1024)
  assert.ok(allocatedBytes(nvram) < fs.statSync(nvram).size / 2, 'nvram.bin is not mostly holes')
  const memory = path.join(template, 'memory.img')
  assert.is(fs.statSync(memory).size, MEMORY)
  assert.ok(allocatedBytes(memory) > 0 && allocatedBytes(memory) < MEMORY * 0.8, 'memory.img should be partly holes')
})

test('makeVm is deterministic for a seed and differs across seeds', async () => {
  const again = path.join(root, 'again')
  await makeVm({ dir: again, diskSize: DISK_SIZE, dataBytes: DATA, seed: 1, suspended: true, memorySize: MEMORY })
  for (const f of FILES) assert.is(blake3File(path.join(again, f)), blake3File(path.join(template, f)), `${f} differs between two runs`)
  const other = path.join(root, 'other')
  await makeVm({ dir: other, diskSize: DISK_SIZE, dataBytes: DATA, seed: 7 })
  assert.is.not(blake3File(path.join(other, 'disk.img')), blake3File(path.join(template, 'disk.img')))
  assert.not.ok(fs.existsSync(path.join(other, 'memory.img')))
})

test('makeVm refuses a non-empty folder and leaves it as it was', async () => {
  await rejectsWith(() => makeVm({ dir: template, diskSize: DISK_SIZE, dataBytes: DATA, seed: 1 }), /is not empty/)
  assert.is(fs.readdirSync(template).length, FILES.length)
})

for (const method of ['mount', 'debugfs'] as const) {
  test(`updateVmInPlace (${method}) changes some blocks in place and keeps the filesystem clean`, async () => {
    const dir = copyBundle(`update-${method}`)
    const report = await updateVmInPlace(dir, { seed: 2, changeBytes: 4 * MiB, method })
    assert.is(report.method, method)
    assert.ok(report.filesAdded > 0 && report.filesRemoved > 0 && report.filesChanged > 0, JSON.stringify(report))
    assert.ok(report.bytesChanged > 0)
    const disk = path.join(dir, 'disk.img')
    assert.is(fs.statSync(disk).size, DISK_SIZE)
    await checkExt4Image(disk)
    const { differ, nonZero } = differingBlocks(path.join(template, 'disk.img'), disk)
    assert.ok(differ > 0, 'nothing changed')
    assert.ok(differ < nonZero / 2, `${differ} of ${nonZero} data blocks changed: not an in-place update`)
    assert.is.not(blake3File(path.join(dir, 'nvram.bin')), blake3File(path.join(template, 'nvram.bin')))
    assert.is(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).revision, 2)
    assert.is(loopDevicesFor(root), '')
  })
}

test('both update methods leave the same files, and debugfs the same bytes every time', async () => {
  const again = copyBundle('update-debugfs-again')
  await updateVmInPlace(again, { seed: 2, changeBytes: 4 * MiB, method: 'debugfs' })
  for (const f of ['disk.img', 'nvram.bin', 'config.json']) {
    assert.is(blake3File(path.join(again, f)), blake3File(path.join(root, 'update-debugfs', f)), `${f} differs between two runs`)
  }
  const mnt = (name: string) => {
    const m = path.join(root, `mnt-${name}`)
    fs.mkdirSync(m)
    execFileSync('mount', ['-o', 'loop,ro', path.join(root, name, 'disk.img'), m])
    return m
  }
  const viaMount = mnt('update-mount')
  const viaDebugfs = mnt('update-debugfs')
  try {
    assert.equal(sameFiles(viaMount, viaDebugfs), [])
    assert.ok(sameFiles(viaMount, mnt('template')).length > 0)
  } finally {
    for (const m of ['update-mount', 'update-debugfs', 'template']) execFileSync('umount', [path.join(root, `mnt-${m}`)])
  }
  assert.is(loopDevicesFor(root), '')
})

test('updateVmInPlace falls back to debugfs when mount is refused', async () => {
  const dir = copyBundle('update-fallback')
  const bin = path.join(root, 'no-mount-bin')
  fs.mkdirSync(bin)
  fs.writeFileSync(path.join(bin, 'mount'), '#!/bin/sh\necho "mount: permission denied" >&2\nexit 32\n', { mode: 0o755 })
  const refused = copyBundle('update-refused')
  const before = blake3File(path.join(refused, 'disk.img'))
  const savedPath = process.env.PATH
  process.env.PATH = `${bin}:${savedPath}`
  try {
    const report = await updateVmInPlace(dir, { seed: 2, changeBytes: 4 * MiB })
    assert.is(report.method, 'debugfs')
    // An explicit method is never swapped for the other one.
    await rejectsWith(() => updateVmInPlace(refused, { seed: 2, changeBytes: 4 * MiB, method: 'mount' }), /cannot loop-mount/)
  } finally {
    process.env.PATH = savedPath
  }
  assert.is(blake3File(path.join(dir, 'disk.img')), blake3File(path.join(root, 'update-debugfs', 'disk.img')))
  assert.is(blake3File(path.join(refused, 'disk.img')), before)
})

test('suspendVm with another seed changes some pages, not all', async () => {
  const dir = copyBundle('suspend')
  await suspendVm(dir, { seed: 3, memorySize: MEMORY })
  const { differ, nonZero } = differingBlocks(path.join(template, 'memory.img'), path.join(dir, 'memory.img'), 4096)
  assert.ok(differ > 0, 'no page changed')
  assert.ok(differ < nonZero / 2, `${differ} of ${nonZero} pages changed`)
})

test('cloneVm makes a sparse copy with its own identity and a few changed files', async () => {
  const dest = path.join(root, 'clone')
  await cloneVm(template, dest, { seed: 4, changeBytes: MiB })
  const disk = path.join(dest, 'disk.img')
  assert.ok(allocatedBytes(disk) < allocatedBytes(path.join(template, 'disk.img')) * 1.2)
  await checkExt4Image(disk)
  const a = JSON.parse(fs.readFileSync(path.join(template, 'config.json'), 'utf8'))
  const b = JSON.parse(fs.readFileSync(path.join(dest, 'config.json'), 'utf8'))
  assert.is.not(b.macAddress, a.macAddress)
  assert.is.not(b.name, a.name)
  assert.not.ok(fs.existsSync(path.join(dest, 'memory.img')))
  const { differ } = differingBlocks(path.join(template, 'disk.img'), disk)
  assert.ok(differ > 0)
  await rejectsWith(() => cloneVm(template, dest, { seed: 4, changeBytes: MiB }), /already exists/)
})

test.run()
