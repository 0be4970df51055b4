import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { rsyncTool, rsyncWireBytes } from '../../../bench/tool-rsync.js'
import { hasCommand } from '../../../bench/tools.js'
import { tmpDir } from '../../helpers/tmp.js'
import { showEach, twoVersions } from './tool-fixture.js'

const MiB = 2 ** 20
const test = suite('tool-rsync')

test('its label names the version it was given', () => {
  assert.match(rsyncTool('rsync 9.9').label, /^rsync 9\.9/)
})

test('wire bytes are sent plus received, with thousands separators', () => {
  assert.is(rsyncWireBytes('Number of files: 3\nTotal bytes sent: 205,072,121\nTotal bytes received: 83\n'), 205072204)
  assert.is(rsyncWireBytes('Total bytes sent: 1.234\nTotal bytes received: 5'), 1239)
})

test('output without the totals is an error', () => {
  assert.throws(() => rsyncWireBytes('sent 10 bytes'), /no 'Total bytes sent' line/)
})

// The real tool runs only where it is installed (the bench installs it; CI's test job does not).
if (hasCommand('rsync')) {
  test('records two versions; the second, one changed 64 KiB block, costs far less than the first', async () => {
    const root = tmpDir('ankagit-bench-rsync-')
    const tool = rsyncTool('rsync 9.9')
    await tool.init(path.join(root, 'state'))
    const [first, second] = await showEach(root, twoVersions(root), (v) => tool.record(v))
    assert.ok(first!.run!.seconds > 0 && first!.run!.peakRssBytes > 0)
    const cost = (c: typeof first) => c!.storedBytes ?? c!.wireBytes!
    assert.ok(cost(first) > 3.5 * MiB, `first ${cost(first)}`)
    assert.ok(cost(second) < MiB * 1, `second ${cost(second)}`)
  })
}

test.run()
