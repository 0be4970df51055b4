import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { isAncestor } from '../../../src/objects/ancestry.js'
import { hashObject } from '../../../src/objects/id.js'
import { commitFiles, memoryRepo } from '../transport/fixtures.js'

const test = suite('isAncestor')

test('follows every parent, and a commit is its own ancestor', async () => {
  const { objects } = memoryRepo()
  const a = await commitFiles(objects, { f: Buffer.from('a') })
  const b = await commitFiles(objects, { f: Buffer.from('b') }, [a])
  const c = await commitFiles(objects, { f: Buffer.from('c') }, [a])
  const m = await commitFiles(objects, { f: Buffer.from('m') }, [b, c])
  assert.ok(await isAncestor(objects, a, m))
  assert.ok(await isAncestor(objects, c, m))
  assert.ok(await isAncestor(objects, m, m))
  assert.not.ok(await isAncestor(objects, b, c))
  assert.not.ok(await isAncestor(objects, m, a))
  assert.not.ok(await isAncestor(objects, hashObject('commit', Buffer.from('absent')), m))
})

test.run()
