/**
 * fsck --root checks a daemon's registry: its whole store and what every repository's refs reach.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { startDaemon } from '../helpers/daemon.js'

test('fsck --root passes on a pushed registry and finds a flipped byte', async () => {
  const work = tmpDir('fsck-root')
  const vm = path.join(work, 'vm')
  fs.mkdirSync(vm)
  const data = Buffer.alloc(4 << 20)
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i)
  fs.writeFileSync(path.join(vm, 'disk.img'), data)
  const root = path.join(work, 'registry')
  const daemon = await startDaemon(root)
  try {
    await runOk(['init', '-q'], { cwd: vm })
    await runOk(['commit', '-q', '-m', 'one'], { cwd: vm })
    await runOk(['push', '-q', `${daemon.url}/vm`, 'main'], { cwd: vm })
    const ok = JSON.parse((await runOk(['fsck', '--root', root, '--json'], { cwd: work })).stdout)
    assert.ok(ok.ok)
    assert.equal(ok.repositories, ['vm'])
    const packs = path.join(root, 'objects', 'packs')
    const big = fs.readdirSync(packs).filter((f) => f.endsWith('.pack')).map((f) => path.join(packs, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!
    const bytes = fs.readFileSync(big)
    bytes[bytes.length >> 1]! ^= 1
    fs.writeFileSync(big, bytes)
    const bad = await run(['fsck', '--root', root], { cwd: work })
    assert.is(bad.code, 6)
    assert.match(bad.stdout, /reachable from vm: refs\/heads\/main/)
  } finally {
    await daemon.stop()
  }
})

test.run()
