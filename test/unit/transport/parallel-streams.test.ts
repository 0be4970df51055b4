import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runStreams } from '../../../src/transport/parallel-streams.js'

const test = suite('runStreams')
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('runs every stream in parallel', async () => {
  const done: number[] = []
  await runStreams([30, 10, 20], undefined, async (ms) => {
    await tick(ms)
    done.push(ms)
  })
  assert.equal(done, [10, 20, 30])
})

test('the first failure stops the others and is thrown once all have ended', async () => {
  const ended: string[] = []
  try {
    await runStreams(['fails', 'long'], undefined, async (name, signal) => {
      if (name === 'fails') {
        await tick(5)
        ended.push('fails')
        throw new Error('stream broke')
      }
      for (let i = 0; i < 100 && !signal.aborted; i++) await tick(5)
      ended.push(signal.aborted ? 'long stopped' : 'long finished')
      throw new Error('aborted too')
    })
    assert.unreachable()
  } catch (err) {
    assert.is((err as Error).message, 'stream broke')
  }
  assert.equal(ended, ['fails', 'long stopped'])
})

test('the caller’s signal reaches every stream', async () => {
  const caller = new AbortController()
  caller.abort()
  const seen: boolean[] = []
  await runStreams([1, 2], caller.signal, async (_x, signal) => {
    seen.push(signal.aborted)
  })
  assert.equal(seen, [true, true])
})

test.run()
