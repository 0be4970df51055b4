import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { resticTool } from '../../../bench/tool-restic.js'
import { hasCommand } from '../../../bench/tools.js'
import { tmpDir } from '../../helpers/tmp.js'
import { showEach, twoVersions } from './tool-fixture.js'

const MiB = 2 ** 20
const test = suite('tool-restic')

test('its label names the version it was given', () => {
  assert.match(resticTool('restic 9.9').label, /^restic 9\.9/)
})

// The real tool runs only where it is installed (the bench installs it; CI's test job does not).
if (hasCommand('restic')) {
  test('records two versions; the second, one changed 64 KiB block, costs far less than the first', async () => {
    const root = tmpDir('ankagit-bench-restic-')
    const tool = resticTool('restic 9.9')
    await tool.init(path.join(root, 'state'))
    const [first, second] = await showEach(root, twoVersions(root), (v) => tool.record(v))
    assert.ok(first!.run!.seconds > 0 && first!.run!.peakRssBytes > 0)
    const cost = (c: typeof first) => c!.storedBytes ?? c!.wireBytes!
    assert.ok(cost(first) > 3.5 * MiB, `first ${cost(first)}`)
    assert.ok(cost(second) < MiB * 3, `second ${cost(second)}`)
  })
}

test.run()
