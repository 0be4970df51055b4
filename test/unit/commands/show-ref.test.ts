import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesRefPattern, showRef } from '../../../src/commands/show-ref.js'
import { createTag } from '../../../src/commands/tag.js'
import { ENV, commitFiles, memoryRepo } from './fixture.js'

const test = suite('show-ref')

test('lists refs sorted, filtered by kind and pattern, with HEAD and peeled tags on request', async () => {
  const repo = memoryRepo()
  const c = await commitFiles(repo, { a: '1' }, { ref: 'refs/heads/main' })
  await commitFiles(repo, { a: '1' }, { ref: 'refs/remotes/origin/main' })
  const t = await createTag({ repo, name: 'v1', message: 'm', env: ENV })
  await createTag({ repo, name: 'light' })
  const all = await showRef({ repo })
  assert.equal(all.map((r) => r.name), ['refs/heads/main', 'refs/remotes/origin/main', 'refs/tags/light', 'refs/tags/v1'])
  assert.equal((await showRef({ repo, heads: true })).map((r) => r.name), ['refs/heads/main'])
  assert.equal((await showRef({ repo, heads: true, tags: true })).map((r) => r.name), ['refs/heads/main', 'refs/tags/light', 'refs/tags/v1'])
  assert.equal((await showRef({ repo, patterns: ['main'] })).map((r) => r.name), ['refs/heads/main', 'refs/remotes/origin/main'])
  const head = await showRef({ repo, head: true, tags: true, dereference: true })
  assert.equal(head, [
    { name: 'HEAD', id: c },
    { name: 'refs/tags/light', id: c },
    { name: 'refs/tags/v1', id: t.id, peeled: c },
  ])
})

test('patterns match a whole name or its tail after a slash', () => {
  assert.ok(matchesRefPattern('refs/heads/main', 'main'))
  assert.ok(matchesRefPattern('refs/heads/main', 'heads/main'))
  assert.ok(matchesRefPattern('refs/heads/main', 'refs/heads/main'))
  assert.not.ok(matchesRefPattern('refs/heads/domain', 'main'))
  assert.not.ok(matchesRefPattern('refs/heads/main', 'mai'))
})

test.run()
