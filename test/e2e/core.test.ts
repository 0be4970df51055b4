/**
 * End to end on real VM bundles (a sparse disk with a real ext4 filesystem, changed in place):
 * commit, change, commit, checkout back and forth, byte-identical with holes kept; corruption found
 * on read; a commit killed with SIGKILL leaves a repository that fsck passes and the next commit works.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { spawn } from 'node:child_process'
import { Blake3Hasher } from '@napi-rs/blake-hash'
import { run, runOk, CLI_MAIN } from '../helpers/cli.js'
import { makeVm, updateVmInPlace } from '../../bench/corpus/vm.js'

const MiB = 1 << 20

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ankagit-${prefix}-`))
}

/** BLAKE3 of every file of a bundle (not .ankagit), and its allocated bytes. */
function fingerprint(dir: string): { files: Record<string, string>; allocated: number } {
  const files: Record<string, string> = {}
  let allocated = 0
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === '.ankagit') continue
    const p = path.join(dir, name)
    const h = new Blake3Hasher()
    const fd = fs.openSync(p, 'r')
    const buf = Buffer.allocUnsafe(4 * MiB)
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n))
    fs.closeSync(fd)
    files[name] = h.digest('hex')
    allocated += fs.statSync(p).blocks * 512
  }
  return { files, allocated }
}

const core = suite('commit, update in place, checkout round trip')

core('two versions round-trip byte for byte with holes kept, and only changed chunks are stored', async () => {
  const dir = tmp('core')
  try {
    await makeVm({ dir, diskSize: 512 * MiB, dataBytes: 40 * MiB, seed: 7 })
    const v1 = fingerprint(dir)
    await runOk(['init', '-q'], { cwd: dir })
    const c1 = JSON.parse((await runOk(['commit', '-m', 'v1', '--json'], { cwd: dir })).stdout)
    assert.ok(c1.newBytes > 30 * MiB, 'the first commit stores the data')
    assert.ok(c1.newBytes < 200 * MiB, 'holes are not stored')

    await updateVmInPlace(dir, { seed: 8, changeBytes: 6 * MiB, method: 'debugfs' })
    const v2 = fingerprint(dir)
    assert.is.not(v2.files['disk.img'], v1.files['disk.img'])
    const st = await runOk(['status', '--json'], { cwd: dir })
    assert.ok(JSON.parse(st.stdout).changes.some((c: { path: string }) => c.path === 'disk.img'))
    const c2 = JSON.parse((await runOk(['commit', '-m', 'v2', '--json'], { cwd: dir })).stdout)
    assert.ok(c2.newBytes < 40 * MiB, `an in-place change stores only new chunks (stored ${c2.newBytes})`)

    const nothing = await run(['commit', '-m', 'v3'], { cwd: dir })
    assert.is(nothing.code, 1)
    assert.match(nothing.stderr, /^ankagit: nothing to commit/)

    await runOk(['checkout', 'HEAD~1'], { cwd: dir })
    const back = fingerprint(dir)
    assert.equal(back.files, v1.files)
    assert.ok(Math.abs(back.allocated - v1.allocated) <= v1.allocated * 0.05, `allocated ${back.allocated} vs ${v1.allocated}`)

    await runOk(['checkout', 'main'], { cwd: dir })
    assert.equal(fingerprint(dir).files, v2.files)

    // The same bundle checked out into a fresh directory from the same store.
    const log = (await runOk(['log', '--oneline'], { cwd: dir })).stdout.trim().split('\n')
    assert.is(log.length, 2)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

core('local changes stop a checkout unless --force; an interrupted checkout is reported', async () => {
  const dir = tmp('dirty')
  try {
    await makeVm({ dir, diskSize: 128 * MiB, dataBytes: 8 * MiB, seed: 3 })
    await runOk(['init', '-q'], { cwd: dir })
    await runOk(['commit', '-q', '-m', 'one'], { cwd: dir })
    fs.appendFileSync(path.join(dir, 'config.json'), ' ')
    await runOk(['commit', '-q', '-m', 'two'], { cwd: dir })
    fs.appendFileSync(path.join(dir, 'config.json'), '\n')
    const refused = await run(['checkout', 'HEAD~1'], { cwd: dir })
    assert.is(refused.code, 9)
    assert.match(refused.stderr, /^ankagit: local changes to 'config.json' would be overwritten/)
    assert.not.match(refused.stderr, /\n\s+at /)
    await runOk(['checkout', '--force', 'HEAD~1'], { cwd: dir })
    fs.writeFileSync(path.join(dir, '.ankagit', 'CHECKOUT'), 'f'.repeat(64) + '\n')
    const st = JSON.parse((await runOk(['status', '--json'], { cwd: dir })).stdout)
    assert.ok(st.checkoutInterrupted)
    assert.is((await run(['commit', '-m', 'x'], { cwd: dir })).code, 9)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

core('a flipped byte in a pack is refused on read with a one-line error', async () => {
  const dir = tmp('corrupt')
  try {
    await makeVm({ dir, diskSize: 128 * MiB, dataBytes: 8 * MiB, seed: 5 })
    await runOk(['init', '-q'], { cwd: dir })
    await runOk(['commit', '-q', '-m', 'one'], { cwd: dir })
    const packs = path.join(dir, '.ankagit', 'objects', 'packs')
    const big = fs.readdirSync(packs).filter((f) => f.endsWith('.pack')).map((f) => path.join(packs, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!
    const bytes = fs.readFileSync(big)
    bytes[Math.floor(bytes.length / 3)]! ^= 0x10
    fs.writeFileSync(big, bytes)
    fs.rmSync(path.join(dir, 'disk.img'))
    const r = await run(['checkout', '--force', 'HEAD'], { cwd: dir })
    assert.is(r.code, 6, r.stderr)
    assert.match(r.stderr, /^ankagit: .*corrupt/)
    assert.is(r.stderr.trim().split('\n').length, 1)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

core('kill -9 in the middle of a commit leaves a valid repository; the next commit succeeds', async () => {
  const dir = tmp('kill')
  try {
    await makeVm({ dir, diskSize: 1024 * MiB, dataBytes: 120 * MiB, seed: 11 })
    const before = fingerprint(dir)
    await runOk(['init', '-q'], { cwd: dir })
    const packs = path.join(dir, '.ankagit', 'objects', 'packs')
    const child = spawn(process.execPath, [CLI_MAIN, 'commit', '-q', '-m', 'killed'], { cwd: dir, stdio: 'ignore' })
    // Kill once the first data pack is durable: mid-write, after some but not all of the data.
    for (let i = 0; i < 600 && fs.readdirSync(packs).filter((f) => f.endsWith('.idx')).length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    child.kill('SIGKILL')
    await new Promise((r) => child.on('close', r))
    assert.is((await run(['log'], { cwd: dir })).code, 10, 'no commit was recorded')
    await runOk(['fsck'], { cwd: dir })
    await runOk(['commit', '-q', '-m', 'after the kill'], { cwd: dir })
    await runOk(['fsck'], { cwd: dir })
    fs.rmSync(path.join(dir, 'disk.img'))
    await runOk(['checkout', '--force', 'main'], { cwd: dir })
    assert.equal(fingerprint(dir).files, before.files)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

core.run()
