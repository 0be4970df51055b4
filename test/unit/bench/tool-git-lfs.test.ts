import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { gitLfsTool } from '../../../bench/tool-git-lfs.js'
import { hasCommand } from '../../../bench/tools.js'
import { tmpDir } from '../../helpers/tmp.js'
import { showEach, twoVersions } from './tool-fixture.js'

const MiB = 2 ** 20
const test = suite('tool-git-lfs')

test('its label names the version it was given', () => {
  assert.match(gitLfsTool('git-lfs 9.9').label, /^git-lfs 9\.9/)
})

if (hasCommand('git') && hasCommand('git-lfs')) {
  test('every changed file is stored whole, and the shown folder gets no .git', async () => {
    const root = tmpDir('ankagit-bench-lfs-')
    const tool = gitLfsTool('git-lfs 9.9')
    await tool.init(path.join(root, 'state'))
    const [first, second] = await showEach(root, twoVersions(root), (v) => tool.record(v))
    assert.ok(first!.storedBytes! >= 32 * MiB, `first ${first!.storedBytes}`)
    assert.ok(second!.storedBytes! >= 32 * MiB, 'disk.img changed: stored whole again')
    assert.not.ok(fs.existsSync(path.join(root, 'tree', '.git')))
    assert.not.ok(fs.existsSync(path.join(root, 'tree', '.gitattributes')))
  })
}

test.run()
