import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { NULL_ID, updateRef } from '../../../src/commands/update-ref.js'
import { createTag } from '../../../src/commands/tag.js'
import { InvalidArgumentError, NotFoundError, RefConflictError } from '../../../src/errors.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import { ENV, commitFiles, memoryRepo } from './fixture.js'

const test = suite('update-ref')

async function setup() {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { a: '1' }, { ref: 'refs/heads/main' })
  const c2 = await commitFiles(repo, { a: '2' }, { ref: 'refs/heads/main', parents: [c1] })
  return { repo, c1, c2 }
}

const read = (repo: ReturnType<typeof memoryRepo>, name: string) => repo.refs.read(parseRefName(name))

test('sets a ref to a revision and records the message in its reflog', async () => {
  const { repo, c1 } = await setup()
  const r = await updateRef({ repo, ref: 'refs/heads/x', newValue: 'HEAD~1', message: 'made by hand' })
  assert.equal(r, { ref: 'refs/heads/x', old: null, next: c1 })
  assert.is(await read(repo, 'refs/heads/x'), c1)
  assert.is((await repo.refs.reflog(parseRefName('refs/heads/x')))[0]!.message, 'made by hand')
})

test('with OLD the ref must hold it; 64 zeros means it must not exist', async () => {
  const { repo, c1, c2 } = await setup()
  await updateRef({ repo, ref: 'refs/heads/x', newValue: c1, oldValue: NULL_ID })
  await updateRef({ repo, ref: 'refs/heads/x', newValue: c2, oldValue: NULL_ID }).then(() => assert.unreachable(), (err) => assert.instance(err, RefConflictError))
  await updateRef({ repo, ref: 'refs/heads/x', newValue: c2, oldValue: c2 }).then(() => assert.unreachable(), (err) => assert.instance(err, RefConflictError))
  assert.is(await read(repo, 'refs/heads/x'), c1)
  const r = await updateRef({ repo, ref: 'refs/heads/x', newValue: c2, oldValue: c1 })
  assert.equal([r.old, r.next], [c1, c2])
  assert.is(await read(repo, 'refs/heads/x'), c2)
})

test('delete, with and without OLD; a new value of zeros deletes too', async () => {
  const { repo, c1, c2 } = await setup()
  await updateRef({ repo, ref: 'refs/heads/x', newValue: c1 })
  await updateRef({ repo, ref: 'refs/heads/x', delete: true, oldValue: c2 }).then(() => assert.unreachable(), (err) => assert.instance(err, RefConflictError))
  await updateRef({ repo, ref: 'refs/heads/x', delete: true, oldValue: c1 })
  assert.is(await read(repo, 'refs/heads/x'), undefined)
  await updateRef({ repo, ref: 'refs/tags/t', newValue: c2 })
  await updateRef({ repo, ref: 'refs/tags/t', newValue: NULL_ID })
  assert.is(await read(repo, 'refs/tags/t'), undefined)
})

test('HEAD moves the branch it names', async () => {
  const { repo, c1 } = await setup()
  await updateRef({ repo, ref: 'HEAD', newValue: c1 })
  assert.is(await read(repo, 'refs/heads/main'), c1)
})

test('refuses missing objects, non-commits on branches, bad names and a missing NEW', async () => {
  const { repo, c2 } = await setup()
  await updateRef({ repo, ref: 'refs/heads/x', newValue: 'f'.repeat(64) }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
  const tag = await createTag({ repo, name: 'v', message: 'm', env: ENV })
  await updateRef({ repo, ref: 'refs/heads/x', newValue: tag.id }).then(() => assert.unreachable(), (err) => assert.match(err.message, /non-commit object/))
  await updateRef({ repo, ref: 'refs/tags/ok', newValue: tag.id })
  assert.is(await read(repo, 'refs/tags/ok'), tag.id)
  await updateRef({ repo, ref: 'heads/x', newValue: c2 }).then(() => assert.unreachable(), (err) => assert.instance(err, InvalidArgumentError))
  await updateRef({ repo, ref: 'refs/heads/x' }).then(() => assert.unreachable(), (err) => assert.instance(err, InvalidArgumentError))
})

test.run()
