import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { NVRAM_BYTES, makeConfig, makeNvram, readConfig, seededMac, tweakNvram, writeConfig } from '../../../bench/corpus/vm-config.js'
import { allocatedBytes, differingBlocks } from '../../helpers/sparse.js'
import { removeTmpDirs, tmpDir } from '../../helpers/tmp.js'

const test = suite('vm-config')
test.after(() => removeTmpDirs())

test('config is seeded and round-trips through config.json', async () => {
  const c = makeConfig({ seed: 3, diskSize: 1 << 30, memorySize: 1 << 28, suspended: false })
  assert.equal(makeConfig({ seed: 3, diskSize: 1 << 30, memorySize: 1 << 28, suspended: false }), c)
  assert.is.not(seededMac(3, 'make'), seededMac(4, 'make'))
  const file = path.join(tmpDir('ankagit-config-'), 'config.json')
  await writeConfig(file, c)
  assert.equal(await readConfig(file), c)
})

test('nvram is mostly holes, seeded, and a tweak changes a little of it', async () => {
  const dir = tmpDir('ankagit-nvram-')
  const a = path.join(dir, 'a.bin')
  const b = path.join(dir, 'b.bin')
  await makeNvram(a, 1)
  await makeNvram(b, 1)
  assert.is(fs.statSync(a).size, NVRAM_BYTES)
  assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)))
  assert.ok(allocatedBytes(a) < NVRAM_BYTES / 2)
  await tweakNvram(b, 2)
  const { differ } = differingBlocks(a, b, 16)
  assert.ok(differ > 0 && differ <= 8, `${differ} 16-byte blocks changed`)
})

test.run()
