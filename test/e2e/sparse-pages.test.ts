/**
 * Zero pages inside chunks stay holes when checkout writes a fresh file: a memory image is mostly
 * zero 4 KiB pages scattered between data pages, which 64 KiB holes alone would not keep sparse.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'

test('a memory image with scattered zero pages checks out byte-identical and sparse at 4 KiB', async () => {
  const dir = tmpDir('sparse-pages')
  const pages = 2048
  const image = Buffer.alloc(pages * 4096)
  let dataPages = 0
  for (let p = 0; p < pages; p++) {
    // Every third page holds data, starting mid-chunk, so no 64 KiB chunk is all zero.
    if (p % 3 !== 1) continue
    dataPages++
    for (let i = 0; i < 4096; i += 4) image.writeUInt32LE((p * 7919 + i * 31) >>> 0 || 1, p * 4096 + i)
  }
  fs.writeFileSync(path.join(dir, 'memory.img'), image)
  await runOk(['init', '-q'], { cwd: dir })
  await runOk(['commit', '-q', '-m', 'suspended'], { cwd: dir })
  fs.rmSync(path.join(dir, 'memory.img'))
  await runOk(['checkout', '-q', '--force', 'main'], { cwd: dir })
  const back = fs.readFileSync(path.join(dir, 'memory.img'))
  assert.ok(back.equals(image), 'byte-identical')
  const allocated = fs.statSync(path.join(dir, 'memory.img')).blocks * 512
  assert.ok(allocated <= dataPages * 4096 * 1.05, `allocated ${allocated} for ${dataPages * 4096} bytes of data pages`)
})

test.run()
