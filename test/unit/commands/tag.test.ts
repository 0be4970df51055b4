import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createTag, deleteTag, listTags } from '../../../src/commands/tag.js'
import { readTag } from '../../../src/objects/read.js'
import { InvalidArgumentError, NotFoundError, RefConflictError } from '../../../src/errors.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import { ENV, commitFiles, memoryRepo } from './fixture.js'

const test = suite('tag')

async function twoCommits() {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { 'config.json': '{"cpu":2}' }, { ref: 'refs/heads/main', message: 'one' })
  const c2 = await commitFiles(repo, { 'config.json': '{"cpu":4}' }, { ref: 'refs/heads/main', parents: [c1], message: 'two' })
  return { repo, c1, c2 }
}

test('a lightweight tag is a ref to HEAD or the given revision', async () => {
  const { repo, c1, c2 } = await twoCommits()
  const a = await createTag({ repo, name: 'v2' })
  const b = await createTag({ repo, name: 'v1', rev: 'main~1' })
  assert.is(a.id, c2)
  assert.is(b.id, c1)
  assert.is(a.annotated, false)
  assert.is(await repo.refs.read(parseRefName('refs/tags/v1')), c1)
  const list = await listTags({ repo })
  assert.equal(list.map((t) => [t.name, t.id, t.annotated, t.target, t.targetKind]), [
    ['v1', c1, false, c1, 'commit'],
    ['v2', c2, false, c2, 'commit'],
  ])
})

test('an annotated tag is a tag object with tagger, message and the tagged kind', async () => {
  const { repo, c2 } = await twoCommits()
  const r = await createTag({ repo, name: 'v2', message: 'release two  \n\n', env: ENV })
  assert.is(r.annotated, true)
  assert.is(r.object, c2)
  assert.is.not(r.id, c2)
  const tag = await readTag(repo.objects, r.id)
  assert.equal({ object: tag.object, type: tag.type, name: tag.name, message: tag.message }, { object: c2, type: 'commit', name: 'v2', message: 'release two\n' })
  assert.equal([tag.tagger.name, tag.tagger.email, tag.tagger.time], ['Ada Tester', 'ada@example.com', 1700000000])
  const [listed] = await listTags({ repo })
  assert.equal([listed!.id, listed!.annotated, listed!.target], [r.id, true, c2])
})

test('tagging a tag name tags the tag object, as git does', async () => {
  const { repo } = await twoCommits()
  const inner = await createTag({ repo, name: 'inner', message: 'x', env: ENV })
  const outer = await createTag({ repo, name: 'outer', rev: 'inner' })
  assert.is(outer.id, inner.id)
  const annotatedOuter = await createTag({ repo, name: 'outer2', rev: 'inner', message: 'y', env: ENV })
  assert.is((await readTag(repo.objects, annotatedOuter.id)).type, 'tag')
})

test('an existing tag is kept unless forced; force reports the old value', async () => {
  const { repo, c1, c2 } = await twoCommits()
  await createTag({ repo, name: 'v1', rev: c1 })
  try {
    await createTag({ repo, name: 'v1' })
    assert.unreachable('should refuse')
  } catch (err) {
    assert.instance(err, RefConflictError)
    assert.is((err as Error).message, "tag 'v1' already exists")
  }
  assert.is(await repo.refs.read(parseRefName('refs/tags/v1')), c1)
  const r = await createTag({ repo, name: 'v1', force: true })
  assert.is(r.replaced, c1)
  assert.is(await repo.refs.read(parseRefName('refs/tags/v1')), c2)
})

test('bad names, a missing message and unknown revisions are refused', async () => {
  const { repo } = await twoCommits()
  for (const name of ['a..b', '-x', 'HEAD', 'a b', 'x.lock']) {
    await createTag({ repo, name }).then(() => assert.unreachable(name), (err) => assert.instance(err, InvalidArgumentError))
  }
  await createTag({ repo, name: 'v', annotate: true }).then(() => assert.unreachable(), (err) => assert.match(err.message, /needs a message/))
  await createTag({ repo, name: 'v', rev: 'nope' }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
  assert.equal(await listTags({ repo }), [])
})

test('delete removes the ref and says what it held; deleting a missing tag is not found', async () => {
  const { repo, c2 } = await twoCommits()
  await createTag({ repo, name: 'v2' })
  assert.equal(await deleteTag({ repo, name: 'v2' }), { name: 'v2', id: c2 })
  assert.is(await repo.refs.read(parseRefName('refs/tags/v2')), undefined)
  await deleteTag({ repo, name: 'v2' }).then(() => assert.unreachable(), (err) => {
    assert.instance(err, NotFoundError)
    assert.is(err.message, "tag 'v2' not found")
  })
})

test.run()
