/**
 * A full disk (ENOSPC) during commit and checkout, on a real small filesystem (tmpfs with size=,
 * mounted by the test: CI runs as root). The free space is set page by page, so the disk fills up at
 * every stage in turn: a data pack, the metadata pack, an index of a pack, the ref, the reflog, the
 * stat cache, a checked-out file, the checkout marker. Each time the command must fail with one line
 * `ankagit: no space left on device ...` and exit status 11, fsck must pass, and once space is freed
 * the same command must complete.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk, type RunResult } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { assertNoSpaceError, freeBytes, leaveFree, smallFilesystem } from '../helpers/small-fs.js'
import { makeSparseFile } from '../helpers/sparse.js'
import { fingerprint } from '../crash/bundle.js'
import { assertFsckPasses, status } from '../crash/harness.js'

const MiB = 1 << 20
const PAGE = 4096
const test = suite('ENOSPC: a full disk during commit and checkout')

function writeBundle(dir: string): void {
  makeSparseFile(path.join(dir, 'disk.img'), 32 * MiB, [{ offset: MiB, length: 4 * MiB, seed: 11 }, { offset: 20 * MiB, length: MiB, seed: 12 }])
  fs.writeFileSync(path.join(dir, 'config.json'), '{"cpu":2}\n')
}

test('commit: the disk fills up at every stage; exit 11, the repository stays valid, and after freeing space the commit completes', async () => {
  const small = smallFilesystem(64 * MiB)
  try {
    const vm = path.join(small.dir, 'vm')
    fs.mkdirSync(vm)
    writeBundle(vm)
    // What a successful commit takes, measured on this filesystem.
    await runOk(['init', '-q'], { cwd: vm })
    const before = freeBytes(small.dir)
    await runOk(['commit', '-q', '-m', 'probe'], { cwd: vm })
    const needed = before - freeBytes(small.dir)
    // Page by page short of the final size (the last pages are the ref, reflogs and stat cache), then
    // coarser steps down to nothing (the packs).
    const shortBy = [...Array.from({ length: 10 }, (_, i) => i + 1), 16, 64, 512, 1024, needed / PAGE]
    const stages = new Set<string>()
    let failures = 0
    for (const pages of shortBy) {
      fs.rmSync(path.join(vm, '.ankagit'), { recursive: true, force: true })
      await runOk(['init', '-q'], { cwd: vm })
      const filler = leaveFree(small.dir, needed - pages * PAGE)
      const ctx = `commit with ${pages} pages too few`
      const r = await run(['commit', '-q', '-m', 'one'], { cwd: vm })
      if (r.code !== 0) {
        failures++
        assertNoSpaceError(r, ctx)
        stages.add(r.stderr.replace(/[0-9a-f]{64}/g, '<id>').replace(/\.[0-9a-f]{8,}\./g, '.<tmp>.').trim())
      }
      await assertFsckPasses(vm, ctx)
      fs.rmSync(filler)
      const again = await run(['commit', '-q', '-m', 'one'], { cwd: vm })
      if (again.code === 1) {
        // The disk filled up after the ref moved (reflog or stat cache): the commit is there.
        assert.match(again.stderr, /^ankagit: nothing to commit/, ctx)
        assert.ok(r.code !== 0, ctx)
      } else assert.is(again.code, 0, `${ctx}: commit after freeing space: ${again.stderr}`)
      assert.ok((await status(vm)).clean, `${ctx}: status after the retry`)
      assert.is((await runOk(['log', '--oneline'], { cwd: vm })).stdout.trim().split('\n').length, 1, `${ctx}: one commit`)
      await assertFsckPasses(vm, `${ctx}, after the retry`)
    }
    assert.ok(failures >= shortBy.length - 2, `only ${failures} of ${shortBy.length} commits ran out of space`)
    console.log(`enospc figures: commit: ${failures} full-disk failures, ${stages.size} distinct messages:\n  ${[...stages].join('\n  ')}`)
  } finally {
    small.unmount()
  }
})

test('checkout: the disk fills up while files are written; exit 11, status flags it, and after freeing space checkout --force completes', async () => {
  const small = smallFilesystem(64 * MiB)
  const store = path.join(tmpDir('ankagit-enospc-store-'), 'store')
  try {
    const vm = path.join(small.dir, 'vm')
    fs.mkdirSync(vm)
    writeBundle(vm)
    await runOk(['init', '-q', '--shared-store', store], { cwd: vm })
    await runOk(['commit', '-q', '-m', 'small'], { cwd: vm })
    const v1 = fingerprint(vm)
    await runOk(['branch', 'small'], { cwd: vm })
    makeSparseFile(path.join(vm, 'big.img'), 64 * MiB, [{ offset: 0, length: 12 * MiB, seed: 13 }, { offset: 40 * MiB, length: 4 * MiB, seed: 14 }])
    await runOk(['commit', '-q', '-m', 'big'], { cwd: vm })
    const v2 = fingerprint(vm)
    await runOk(['checkout', '-q', 'small'], { cwd: vm })
    const stages = new Set<string>()
    // Free space in pages: none at all, a little, and part of the new file.
    for (const pages of [0, 1, 2, 3, 256, 2048]) {
      const filler = leaveFree(small.dir, pages * PAGE)
      const ctx = `checkout with ${pages} pages free`
      const r = await run(['checkout', '-q', 'main'], { cwd: vm })
      assertNoSpaceError(r, ctx)
      stages.add(r.stderr.replace(/[0-9a-f]{64}/g, '<id>').trim())
      fs.rmSync(filler)
      await assertFsckPasses(vm, ctx)
      const st = await status(vm)
      const fp = fingerprint(vm)
      const same = (a: Record<string, string>) => JSON.stringify(a) === JSON.stringify(fp)
      assert.ok(st.checkoutInterrupted || (st.clean && (same(v1) || same(v2))), `${ctx}: neither version nor flagged: ${JSON.stringify(st)}`)
      await runOk(['checkout', '-q', '--force', 'main'], { cwd: vm })
      assert.equal(fingerprint(vm), v2, `${ctx}: checkout after freeing space`)
      await runOk(['checkout', '-q', 'small'], { cwd: vm })
      assert.equal(fingerprint(vm), v1)
    }
    console.log(`enospc figures: checkout: 6 full-disk failures, ${stages.size} distinct messages:\n  ${[...stages].join('\n  ')}`)
  } finally {
    small.unmount()
  }
})

test.run()
