import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { show } from '../../../src/commands/show.js'
import { createTag } from '../../../src/commands/tag.js'
import { ENV, bytes, commitFiles, memoryRepo } from './fixture.js'

const test = suite('show')

test('a root commit shows every file added; holes are not data; a repeated chunk transfers once', async () => {
  const repo = memoryRepo()
  const block = bytes(1, 4096)
  const id = await commitFiles(repo, { 'disk.img': Buffer.concat([block, Buffer.alloc(8192), block]), 'b.txt': 'hi' }, { ref: 'refs/heads/main', message: 'root' })
  const r = await show({ repo })
  assert.is(r.id, id)
  assert.is(r.parent, undefined)
  assert.equal(r.tags, [])
  assert.equal(r.files.map((f) => [f.path, f.status, f.changedBytes, f.changedRanges, f.transferBytes]), [
    ['b.txt', 'added', 2, 1, 2],
    ['disk.img', 'added', 8192, 2, 4096],
  ])
  assert.equal(r.files[1]!.ranges, [[0, 4096], [12288, 16384]])
  assert.equal([r.changedBytes, r.transferBytes], [8194, 4098])
})

test('a later commit is compared with its first parent; an annotated tag comes first', async () => {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { 'disk.img': bytes(1, 16384), 'config.json': '{"cpu":2}\n' }, { ref: 'refs/heads/main' })
  const changed = Buffer.concat([bytes(1, 16384).subarray(0, 8192), bytes(9, 4096), bytes(1, 16384).subarray(12288)])
  const c2 = await commitFiles(repo, { 'disk.img': changed, 'config.json': '{"cpu":2}\n' }, { ref: 'refs/heads/main', parents: [c1], message: 'two' })
  const tag = await createTag({ repo, name: 'v2', message: 'release', env: ENV })
  const r = await show({ repo, rev: 'v2' })
  assert.is(r.id, c2)
  assert.is(r.parent, c1)
  assert.equal(r.tags.map((t) => [t.id, t.tag.name, t.tag.message]), [[tag.id, 'v2', 'release\n']])
  assert.equal(r.commit.message, 'two\n')
  assert.equal(r.files.map((f) => [f.path, f.status, f.changedBytes, f.transferBytes]), [['disk.img', 'modified', 4096, 4096]])
})

test.run()
