import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit branch')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('branch')
})

test('create at HEAD or a revision; the list marks the current branch', async () => {
  await repo.run(['branch', 'stable', 'HEAD~1'])
  await repo.run(['branch', 'feature/xcode'])
  assert.is((await repo.run(['branch'])).stdout, '  feature/xcode\n* main\n  stable\n')
  const list = JSON.parse((await repo.run(['branch', '--json'])).stdout)
  assert.equal(list.branches.map((b: { name: string; id: string; current: boolean }) => [b.name, b.id, b.current]), [
    ['feature/xcode', repo.c2, false],
    ['main', repo.c2, true],
    ['stable', repo.c1, false],
  ])
  assert.match((await repo.run(['branch', '-v'])).stdout, new RegExp(`^  stable +${repo.c1.slice(0, 12)} first version$`, 'm'))
})

test('a detached HEAD is listed as such', async () => {
  await repo.run(['checkout', '-q', repo.c1])
  assert.match((await repo.run(['branch'])).stdout, new RegExp(`^\\* \\(HEAD detached at ${repo.c1.slice(0, 12)}\\)\n  feature/xcode\n  main\n`))
  await repo.run(['checkout', '-q', 'main'])
})

test('-d deletes a merged branch, refuses the current one (2) and an unmerged one (9) unless -D', async () => {
  assert.is((await repo.run(['branch', '-d', 'stable'])).stdout, `Deleted branch stable (was ${repo.c1.slice(0, 12)}).\n`)
  assertCliError(await run(['branch', '-d', 'main'], { cwd: repo.dir }), 2, /cannot delete branch 'main' checked out at/)
  await repo.run(['checkout', '-q', 'HEAD~1'])
  assertCliError(await run(['branch', '-d', 'feature/xcode'], { cwd: repo.dir }), 9, /not fully merged.*'ankagit branch -D feature\/xcode'/)
  await repo.run(['branch', '-D', 'feature/xcode'])
  await repo.run(['checkout', '-q', 'main'])
  assert.is((await repo.run(['branch'])).stdout, '* main\n')
})

test('bad names, existing names, missing branches and start points are one-line errors', async () => {
  assertCliError(await run(['branch', 'a..b'], { cwd: repo.dir }), 2, /invalid branch name 'a\.\.b': contains '\.\.'/)
  assertCliError(await run(['branch', 'x.lock'], { cwd: repo.dir }), 2, /ending with '\.lock'/)
  assertCliError(await run(['branch', 'main'], { cwd: repo.dir }), 5, /a branch named 'main' already exists/)
  assertCliError(await run(['branch', 'n', 'nope'], { cwd: repo.dir }), 10, /unknown revision 'nope'/)
  assertCliError(await run(['branch', '-d', 'nope'], { cwd: repo.dir }), 10, /branch 'nope' not found/)
})

test.run()
