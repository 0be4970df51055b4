import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { pipelined } from '../../../src/threads/pipelined.js'

const test = suite('pipelined')
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

test('yields in order with at most depth + 1 jobs running', async () => {
  let running = 0
  let most = 0
  const out = await collect(
    pipelined([5, 1, 4, 1, 3, 2], 2, async (x) => {
      most = Math.max(most, ++running)
      await tick(x)
      running--
      return x * 10
    }),
  )
  assert.equal(out, [50, 10, 40, 10, 30, 20])
  assert.ok(most <= 3 && most >= 2, `most ${most}`)
})

test('a failing job fails after the results before it; later ones never come out', async () => {
  const out: number[] = []
  try {
    for await (const x of pipelined([1, 2, 3, 4], 3, async (x) => {
      if (x === 3) throw new Error('job 3 failed')
      await tick(5)
      return x
    })) out.push(x)
    assert.unreachable()
  } catch (err) {
    assert.is((err as Error).message, 'job 3 failed')
  }
  assert.equal(out, [1, 2])
})

test('a failing source still delivers the jobs already started, then its error', async () => {
  async function* source() {
    yield 1
    yield 2
    throw new Error('stream truncated')
  }
  const out: number[] = []
  try {
    for await (const x of pipelined(source(), 4, async (x) => (await tick(5), x))) out.push(x)
    assert.unreachable()
  } catch (err) {
    assert.is((err as Error).message, 'stream truncated')
  }
  assert.equal(out, [1, 2])
})

test('a consumer that stops early closes the source', async () => {
  let closed = false
  async function* source() {
    try {
      for (let i = 0; ; i++) yield i
    } finally {
      closed = true
    }
  }
  for await (const x of pipelined(source(), 2, async (x) => x)) if (x === 3) break
  assert.ok(closed)
})

test.run()
