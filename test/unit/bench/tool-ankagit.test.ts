import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { AnkagitCli } from '../../../bench/ankagit-cli.js'
import { ankagitTool } from '../../../bench/tool-ankagit.js'
import { REPO_ROOT } from '../../helpers/cli.js'
import { tmpDir } from '../../helpers/tmp.js'
import { showEach, twoVersions } from './tool-fixture.js'

const MiB = 2 ** 20
const test = suite('tool-ankagit')

test('commits each version in a folder of its own; the second stores about one block', async () => {
  const root = tmpDir('ankagit-bench-tool-')
  const tool = ankagitTool(new AnkagitCli(REPO_ROOT))
  assert.match(tool.wireMethod, /store growth/)
  await tool.init(path.join(root, 'state'))
  const [first, second] = await showEach(root, twoVersions(root), (v) => tool.record(v))
  assert.ok(first!.storedBytes! > 4 * MiB, `first ${first!.storedBytes}`)
  assert.ok(second!.storedBytes! > 64 * 1024 && second!.storedBytes! < 0.5 * MiB, `second ${second!.storedBytes}`)
  assert.is(second!.wireBytes, second!.storedBytes)
  assert.not.ok(fs.existsSync(path.join(root, 'tree', '.ankagit')), 'the shared folder stays clean')
})

test.run()
