import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createBranch, deleteBranch, listBranches } from '../../../src/commands/branch.js'
import { AnkagitError, InvalidArgumentError, NotFoundError, RefConflictError } from '../../../src/errors.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import { readCommit } from '../../../src/objects/read.js'
import { commitFiles, memoryRepo } from './fixture.js'

const test = suite('branch')

async function history() {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { a: 'one' }, { ref: 'refs/heads/main' })
  const c2 = await commitFiles(repo, { a: 'two' }, { ref: 'refs/heads/main', parents: [c1] })
  const side = await commitFiles(repo, { a: 'side' }, { parents: [c1] })
  return { repo, c1, c2, side }
}

test('list marks the branch HEAD names; a detached HEAD is reported', async () => {
  const { repo, c1, c2 } = await history()
  await createBranch({ repo, name: 'old', rev: c1 })
  const list = await listBranches({ repo })
  assert.equal(list.branches.map((b) => [b.name, b.id, b.current]), [
    ['main', c2, true],
    ['old', c1, false],
  ])
  assert.is(list.current, 'main')
  await repo.refs.writeHead({ id: c1 })
  const detached = await listBranches({ repo })
  assert.is(detached.detached, c1)
  assert.is(detached.current, undefined)
  assert.ok(detached.branches.every((b) => !b.current))
})

test('create starts at HEAD or a revision, follows tags, and refuses an existing name', async () => {
  const { repo, c1, c2 } = await history()
  assert.is((await createBranch({ repo, name: 'a' })).id, c2)
  assert.is((await createBranch({ repo, name: 'b/c', rev: 'main~1' })).id, c1)
  await createBranch({ repo, name: 'a', rev: c1 }).then(() => assert.unreachable(), (err) => {
    assert.instance(err, RefConflictError)
    assert.is(err.message, "a branch named 'a' already exists")
  })
  const forced = await createBranch({ repo, name: 'a', rev: c1, force: true })
  assert.is(forced.replaced, c2)
  await createBranch({ repo, name: 'main', rev: c1, force: true }).then(() => assert.unreachable(), (err) => assert.match(err.message, /current branch 'main'/))
  await createBranch({ repo, name: 'x..y' }).then(() => assert.unreachable(), (err) => assert.instance(err, InvalidArgumentError))
  await createBranch({ repo, name: 'z', rev: 'missing' }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
})

test('a branch must point at a commit', async () => {
  const { repo, c2 } = await history()
  const tree = (await readCommit(repo.objects, c2)).tree
  await createBranch({ repo, name: 'tree', rev: tree }).then(() => assert.unreachable(), (err) => {
    assert.instance(err, InvalidArgumentError)
    assert.match(err.message, /is a vm, not a commit/)
  })
})

test('delete refuses the current branch and an unmerged one unless forced', async () => {
  const { repo, c1, side } = await history()
  await createBranch({ repo, name: 'merged', rev: c1 })
  await createBranch({ repo, name: 'side', rev: side })
  await deleteBranch({ repo, name: 'main' }).then(() => assert.unreachable(), (err) => assert.match(err.message, /cannot delete branch 'main' checked out at/))
  await deleteBranch({ repo, name: 'side' }).then(() => assert.unreachable(), (err) => {
    assert.instance(err, AnkagitError)
    assert.is((err as AnkagitError).code, 'EDIRTY')
    assert.match(err.message, /not fully merged.*branch -D side/)
  })
  assert.is(await repo.refs.read(parseRefName('refs/heads/side')), side)
  assert.equal(await deleteBranch({ repo, name: 'merged' }), { name: 'merged', id: c1 })
  assert.equal(await deleteBranch({ repo, name: 'side', force: true }), { name: 'side', id: side })
  assert.equal((await listBranches({ repo })).branches.map((b) => b.name), ['main'])
  await deleteBranch({ repo, name: 'side' }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
})

test.run()
