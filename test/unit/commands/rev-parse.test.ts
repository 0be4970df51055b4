import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { revParse } from '../../../src/commands/rev-parse.js'
import { createTag } from '../../../src/commands/tag.js'
import { InvalidArgumentError, NotFoundError } from '../../../src/errors.js'
import { ENV, commitFiles, memoryRepo } from './fixture.js'

const test = suite('rev-parse')

test('each revision gives its full id, in order; a tag name gives the tag object', async () => {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { a: '1' }, { ref: 'refs/heads/main' })
  const c2 = await commitFiles(repo, { a: '2' }, { ref: 'refs/heads/main', parents: [c1] })
  const tag = await createTag({ repo, name: 'v1', rev: c1, message: 'm', env: ENV })
  const ids = await revParse({ repo, revs: ['HEAD', 'main~1', 'v1', 'v1^0', c2.slice(0, 10), 'refs/heads/main'] })
  assert.equal(ids, [c2, c1, tag.id, c1, c2, c2])
})

test('unknown and malformed revisions throw; no revision is an error', async () => {
  const repo = memoryRepo()
  await commitFiles(repo, { a: '1' }, { ref: 'refs/heads/main' })
  await revParse({ repo, revs: ['HEAD', 'nope'] }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
  await revParse({ repo, revs: ['HEAD~x'] }).then(() => assert.unreachable(), (err) => assert.instance(err, InvalidArgumentError))
  await revParse({ repo, revs: [] }).then(() => assert.unreachable(), (err) => assert.instance(err, InvalidArgumentError))
})

test.run()
