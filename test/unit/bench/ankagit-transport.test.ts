import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { AnkagitCli } from '../../../bench/ankagit-cli.js'
import { AnkagitTransport, findCounter } from '../../../bench/ankagit-transport.js'
import { REPO_ROOT } from '../../helpers/cli.js'
import { tmpDir } from '../../helpers/tmp.js'

const test = suite('ankagit-transport')

test('counters are found wherever the JSON keeps them', () => {
  assert.is(findCounter({ stats: { requests: 3, bytesSent: 10 } }, 'bytesSent'), 10)
  assert.is(findCounter({ bytesSent: 1, stats: { bytesSent: 2 } }, 'bytesSent'), 1)
  assert.is(findCounter({ refs: [{ stats: { requests: 7 } }] }, 'requests'), 7)
  assert.is(findCounter({ bytesSent: '12' }, 'bytesSent'), undefined)
  assert.is(findCounter(null, 'x'), undefined)
})

test('start() answers undefined exactly when the build has no daemon or push command', async () => {
  const cli = new AnkagitCli(REPO_ROOT)
  const ready = (await cli.has('daemon')) && (await cli.has('push'))
  const t = await AnkagitTransport.start(cli, tmpDir('ankagit-bench-daemon-'), 'bench')
  try {
    assert.is(t !== undefined, ready)
    if (t) assert.match(t.remoteUrl, /^https?:\/\/127\.0\.0\.1:\d+\/bench$/)
  } finally {
    t?.stop()
  }
})

test.run()
