import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { SkippingNegotiator, collectHaves } from '../../../src/transport/negotiator.js'
import type { ObjectId } from '../../../src/objects/id.js'
import { hashObject } from '../../../src/objects/id.js'
import { commitFiles, memoryRepo, tagObject } from './fixtures.js'
import type { ObjectStore } from '../../../src/objects/object-store.js'

const test = suite('SkippingNegotiator')

async function chain(store: ObjectStore, n: number, seed: number): Promise<ObjectId[]> {
  const out: ObjectId[] = []
  for (let i = 0; i < n; i++) out.push(await commitFiles(store, { a: Buffer.from(`${seed} ${i}`) }, out.slice(-1), `c${i}\n`))
  return out
}

test('offers the tip, then ancestors at distances 1, 2, 4, 8, 16', async () => {
  const { objects } = memoryRepo()
  const c = await chain(objects, 20, 1)
  const n = new SkippingNegotiator(objects)
  n.addTip(c[19]!)
  const haves = await collectHaves(n)
  assert.equal(haves, [19, 18, 17, 15, 11, 3].map((i) => c[i]))
})

test('known common commits come first and their ancestors are not offered', async () => {
  const { objects } = memoryRepo()
  const c = await chain(objects, 10, 2)
  const n = new SkippingNegotiator(objects)
  n.knownCommon(c[6]!)
  n.addTip(c[9]!)
  const haves = await collectHaves(n)
  assert.equal(haves, [c[6], c[9], c[8], c[7]])
})

test('tips take turns; tags are followed; absent tips are skipped; the sample is bounded', async () => {
  const { objects } = memoryRepo()
  const a = await chain(objects, 3, 3)
  const b = await chain(objects, 3, 4)
  const tag = await tagObject(objects, b[2]!, 'v1')
  const n = new SkippingNegotiator(objects)
  n.addTip(hashObject('commit', Buffer.from('not here')))
  n.addTip(a[2]!)
  n.addTip(tag)
  const haves = await collectHaves(n)
  assert.equal(haves, [a[2], b[2], a[1], b[1], a[0], b[0]])
  const m = new SkippingNegotiator(objects)
  m.addTip(a[2]!)
  assert.is((await collectHaves(m, 2)).length, 2)
})

test('ack stops the walk below an acknowledged commit', async () => {
  const { objects } = memoryRepo()
  const c = await chain(objects, 6, 5)
  const n = new SkippingNegotiator(objects)
  n.addTip(c[5]!)
  assert.is(await n.next(), c[5])
  n.ack(c[4]!)
  assert.is(await n.next(), undefined)
})

test.run()
