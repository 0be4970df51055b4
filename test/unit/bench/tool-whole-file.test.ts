import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { wholeFileTool } from '../../../bench/tool-whole-file.js'
import { tmpDir } from '../../helpers/tmp.js'
import { showEach, twoVersions } from './tool-fixture.js'

const MiB = 2 ** 20
const test = suite('tool-whole-file')

test('changed files go whole through zstd; an unchanged version costs nothing', async () => {
  const root = tmpDir('ankagit-bench-whole-')
  const tool = wholeFileTool()
  await tool.init(path.join(root, 'state'))
  const vs = twoVersions(root)
  const [first, second] = await showEach(root, vs, (v) => tool.record(v))
  assert.ok(first!.storedBytes! > 4 * MiB && first!.storedBytes! < 4.5 * MiB, `first ${first!.storedBytes}`)
  assert.ok(second!.storedBytes! > 4 * MiB, 'disk.img changed: all of it again')
  assert.ok(second!.run!.seconds > 0)
  const [same] = await showEach(root, [{ ...vs[1]!, name: 'v3' }], (v) => tool.record(v))
  assert.equal(same, { storedBytes: 0, wireBytes: 0 })
})

test.run()
