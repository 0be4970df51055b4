import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit update-ref')
const ZERO = '0'.repeat(64)
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('update-ref')
})

test('creates, moves by compare-and-swap and deletes a ref, with a reflog message', async () => {
  await repo.run(['update-ref', 'refs/heads/golden', 'HEAD~1', ZERO, '-m', 'pin the golden image'])
  assert.is((await repo.run(['rev-parse', 'golden'])).stdout.trim(), repo.c1)
  const log = fs.readFileSync(path.join(repo.dir, '.ankagit', 'logs', 'refs', 'heads', 'golden'), 'utf8')
  assert.match(log, new RegExp(`^${ZERO} ${repo.c1} \\d+ [^\\t]*\\tpin the golden image\\n$`))
  await repo.run(['update-ref', 'refs/heads/golden', repo.c2, repo.c1])
  assert.is((await repo.run(['rev-parse', 'golden'])).stdout.trim(), repo.c2)
  await repo.run(['update-ref', '-d', 'refs/heads/golden', repo.c2])
  assertCliError(await run(['rev-parse', 'golden'], { cwd: repo.dir }), 10, /unknown revision/)
})

test('a lost compare-and-swap is exit 5 and changes nothing', async () => {
  await repo.run(['update-ref', 'refs/tags/t', repo.c1])
  assertCliError(await run(['update-ref', 'refs/tags/t', repo.c2, ZERO], { cwd: repo.dir }), 5, /ref 'refs\/tags\/t' changed: expected nothing, found/)
  assertCliError(await run(['update-ref', 'refs/tags/t', repo.c2, repo.c2], { cwd: repo.dir }), 5, /changed: expected/)
  assertCliError(await run(['update-ref', '-d', 'refs/tags/t', repo.c2], { cwd: repo.dir }), 5, /changed: expected/)
  assert.is((await repo.run(['rev-parse', 'refs/tags/t'])).stdout.trim(), repo.c1)
})

test('bad names, missing objects and non-commits on branches are refused', async () => {
  assertCliError(await run(['update-ref', 'heads/x', 'HEAD'], { cwd: repo.dir }), 2, /invalid ref name 'heads\/x'/)
  assertCliError(await run(['update-ref', 'refs/heads/x', 'f'.repeat(64)], { cwd: repo.dir }), 10, /not found/)
  const tree = (await repo.run(['rev-parse', 'HEAD'])).stdout.trim()
  const treeId = (await repo.run(['cat-file', '-p', tree])).stdout.split('\n')[0]!.slice(5)
  assertCliError(await run(['update-ref', 'refs/heads/x', treeId], { cwd: repo.dir }), 2, /non-commit object/)
  assertCliError(await run(['update-ref', 'refs/heads/x'], { cwd: repo.dir }), 2, /needs a new value/)
})

test.run()
