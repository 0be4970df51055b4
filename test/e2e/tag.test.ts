import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { run } from '../helpers/cli.js'
import { ENV, type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit tag')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('tag')
})

test('lightweight and annotated tags are created, listed sorted and shown', async () => {
  await repo.run(['tag', 'v2'])
  await repo.run(['tag', '-a', 'v1', '-m', 'the first release', 'HEAD~1'])
  await repo.run(['tag', 'a-tag', repo.c1])
  assert.is((await repo.run(['tag'])).stdout, 'a-tag\nv1\nv2\n')
  assert.is((await repo.run(['tag', '-l', 'v*'])).stdout, 'v1\nv2\n')
  const list = JSON.parse((await repo.run(['tag', '--json'])).stdout) as Array<{ name: string; annotated: boolean; target: string }>
  assert.equal(list.map((t) => [t.name, t.annotated, t.target]), [['a-tag', false, repo.c1], ['v1', true, repo.c1], ['v2', false, repo.c2]])
  assert.is((await repo.run(['rev-parse', 'v2'])).stdout.trim(), repo.c2)
  const shown = (await repo.run(['show', 'v1'])).stdout
  assert.match(shown, /^tag v1\nTagger: Ada Tester <ada@example.com>\nDate: {3}\w{3} \w{3} \d+ \d\d:\d\d:\d\d \d{4} [+-]\d{4}\n\nthe first release\n\ncommit /)
  assert.ok(shown.includes(`commit ${repo.c1}`))
})

test('an existing tag is refused without -f (exit 5) and replaced with it', async () => {
  const r = await run(['tag', 'v2', 'HEAD~1'], { cwd: repo.dir, env: ENV })
  assertCliError(r, 5, /^ankagit: tag 'v2' already exists$/)
  const forced = await repo.run(['tag', '-f', 'v2', 'HEAD~1'])
  assert.is(forced.stdout, `Updated tag 'v2' (was ${repo.c2.slice(0, 12)})\n`)
  assert.is((await repo.run(['rev-parse', 'v2'])).stdout.trim(), repo.c1)
})

test('-d deletes and reports what the tag held; a missing tag is exit 10', async () => {
  await repo.run(['tag', 'gone'])
  assert.is((await repo.run(['tag', '-d', 'gone'])).stdout, `Deleted tag 'gone' (was ${repo.c2.slice(0, 12)})\n`)
  assertCliError(await run(['tag', '-d', 'gone'], { cwd: repo.dir }), 10, /tag 'gone' not found/)
})

test('bad names, a missing message and unknown revisions are one-line errors', async () => {
  assertCliError(await run(['tag', 'a..b'], { cwd: repo.dir }), 2, /invalid tag name 'a\.\.b': contains '\.\.'/)
  assertCliError(await run(['tag', '-a', 'v9'], { cwd: repo.dir }), 2, /needs a message/)
  assertCliError(await run(['tag', 'v9', 'nope'], { cwd: repo.dir }), 10, /unknown revision 'nope'/)
  assertCliError(await run(['tag'], { cwd: '/' }), 3, /not an ankagit repository/)
})

test.run()
