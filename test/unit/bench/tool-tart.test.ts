import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { tartTool } from '../../../bench/tool-tart.js'
import { tmpDir } from '../../helpers/tmp.js'
import { showEach, twoVersions } from './tool-fixture.js'

const MiB = 2 ** 20
const test = suite('tool-tart')

test('a changed slice is sent whole, compressed; an identical one is reused', async () => {
  const root = tmpDir('ankagit-bench-tart-')
  const tool = tartTool('zstd')
  await tool.init(path.join(root, 'state'))
  const vs = twoVersions(root)
  const [first, second] = await showEach(root, vs, (v) => tool.record(v))
  // 4 MiB of random data in the one slice of disk.img, plus the config.
  assert.ok(first!.storedBytes! > 4 * MiB && first!.storedBytes! < 4.2 * MiB, `first ${first!.storedBytes}`)
  assert.ok(second!.storedBytes! > 4 * MiB, 'the slice changed, so all of it goes again')
  assert.is(second!.wireBytes, second!.storedBytes)
  assert.is(first!.run, undefined, 'a simulation reports no time')
  const again = await showEach(root, [{ ...vs[1]!, name: 'v3' }], (v) => tool.record(v))
  assert.is(again[0]!.storedBytes, 0)
})

test.run()
