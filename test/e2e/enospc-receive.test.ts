/**
 * A full disk (ENOSPC) on the receiving side of a transfer, on a real small filesystem (tmpfs):
 * a daemon whose root fills up during a push, and a client whose disk fills up during a clone.
 * Each time the sender gets exit status 11 with one line saying which side ran out of space, the
 * full side still passes fsck and holds no ref to anything missing, and once space is freed the
 * same command completes and the VM arrives byte for byte.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fsckDaemonRoot, startDaemon } from '../helpers/daemon.js'
import { tmpDir } from '../helpers/tmp.js'
import { assertNoSpaceError, freeBytes, leaveFree, smallFilesystem } from '../helpers/small-fs.js'
import { makeSparseFile } from '../helpers/sparse.js'
import { cli, cliOk, fingerprint } from './transport-fixture.js'

const MiB = 1 << 20
const test = suite('ENOSPC: a full disk on the receiving side')

/** A VM of 6 MiB of incompressible data in a 32 MiB sparse disk, committed. */
async function vmRepo(dir: string, seed: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true })
  makeSparseFile(path.join(dir, 'disk.img'), 32 * MiB, [{ offset: MiB, length: 4 * MiB, seed }, { offset: 20 * MiB, length: 2 * MiB, seed: seed + 1 }])
  fs.writeFileSync(path.join(dir, 'config.json'), '{"cpu":2}\n')
  await cliOk(dir, ['init', '-q'])
  await cliOk(dir, ['commit', '-q', '-m', 'v1'])
}

test('push into a daemon whose disk is full: exit 11 naming the registry, the root stays valid, the retry completes', async () => {
  const small = smallFilesystem(48 * MiB)
  const work = tmpDir('ankagit-enospc-rx-')
  const root = path.join(small.dir, 'root')
  const daemon = await startDaemon(root)
  try {
    const first = path.join(work, 'first')
    await vmRepo(first, 31)
    await cliOk(first, ['push', '-q', `${daemon.url}/first`, 'main'])
    let failures = 0
    // Short of space for all of it, for half of it, and for almost nothing; a new VM each time, as
    // what an earlier attempt stored is kept for its retry.
    const vms: string[] = []
    for (const [i, free] of [5 * MiB, 3 * MiB, 256 * 1024].entries()) {
      const vm = path.join(work, `vm-${i}`)
      await vmRepo(vm, 41 + 10 * i)
      vms.push(vm)
      const filler = leaveFree(small.dir, free)
      const ctx = `push with ${free} bytes free on the registry`
      const r = await cli(vm, ['push', '-q', `${daemon.url}/runner-${i}`, 'main'])
      assertNoSpaceError(r, ctx, /^ankagit: remote 'http:\/\/[^']+\/runner-\d': no space left on device/)
      failures++
      const fsck = (await fsckDaemonRoot(root)).registry!
      assert.is(fsck.code, 0, `${ctx}: daemon root fsck: ${fsck.stdout} ${fsck.stderr}`)
      assert.match((await cliOk(work, ['ls-remote', `${daemon.url}/first`])).stdout, /refs\/heads\/main/, `${ctx}: the other repository is intact`)
      fs.rmSync(filler)
    }
    for (const [i, vm] of vms.entries()) await cliOk(vm, ['push', '-q', `${daemon.url}/runner-${i}`, 'main'])
    for (const [name, dir] of [...vms.map((vm, i) => [`runner-${i}`, vm] as const), ['first', first] as const]) {
      const copy = path.join(work, `copy-${name}`)
      await cliOk(work, ['clone', '-q', `${daemon.url}/${name}`, copy])
      assert.equal(fingerprint(copy).files, fingerprint(dir).files, `${name} clones back whole`)
    }
    assert.not.match(daemon.stderr(), /internal error/i)
    console.log(`enospc figures: receive on the daemon: ${failures} pushes into a full registry refused with exit 11, root fsck clean each time, retry completed`)
  } finally {
    await daemon.stop()
    small.unmount()
  }
})

test('clone onto a full disk: exit 11, the partial clone stays valid, and the same clone resumes once space is freed', async () => {
  const small = smallFilesystem(48 * MiB)
  const work = tmpDir('ankagit-enospc-rx-')
  const daemon = await startDaemon(path.join(work, 'root'))
  try {
    const vm = path.join(work, 'vm')
    await vmRepo(vm, 51)
    await cliOk(vm, ['push', '-q', `${daemon.url}/runner`, 'main'])
    const clone = path.join(small.dir, 'clone')
    const filler = leaveFree(small.dir, 3 * MiB)
    const r = await cli(small.dir, ['clone', '-q', `${daemon.url}/runner`, clone])
    assertNoSpaceError(r, 'clone with 3 MiB free')
    if (fs.existsSync(path.join(clone, '.ankagit'))) assert.is((await cli(clone, ['fsck', '-q'])).code, 0, 'the partial clone passes fsck')
    fs.rmSync(filler)
    await cliOk(small.dir, ['clone', '-q', `${daemon.url}/runner`, clone])
    assert.equal(fingerprint(clone).files, fingerprint(vm).files)
    assert.is((await cli(clone, ['fsck', '-q'])).code, 0)
  } finally {
    await daemon.stop()
    small.unmount()
  }
})

test.run()
