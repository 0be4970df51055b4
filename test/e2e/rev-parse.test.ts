import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit rev-parse')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('rev-parse')
})

test('prints one full id per revision, in order', async () => {
  const r = await repo.run(['rev-parse', 'HEAD', 'main~1', 'HEAD^', repo.c2.slice(0, 8), 'refs/heads/main', '@'])
  assert.is(r.stdout, [repo.c2, repo.c1, repo.c1, repo.c2, repo.c2, repo.c2].join('\n') + '\n')
  assert.equal(JSON.parse((await repo.run(['rev-parse', '--json', 'HEAD~1'])).stdout), [repo.c1])
})

test('unknown, malformed and too-far revisions are one-line errors', async () => {
  assertCliError(await run(['rev-parse', 'nope'], { cwd: repo.dir }), 10, /^ankagit: unknown revision 'nope'$/)
  assertCliError(await run(['rev-parse', 'HEAD~5'], { cwd: repo.dir }), 10, /has no parent/)
  assertCliError(await run(['rev-parse', 'HEAD~x'], { cwd: repo.dir }), 2, /unsupported suffix/)
  // Usage errors come from commander, worded its way ("error: ..."), with the usage exit status.
  const usage = await run(['rev-parse'], { cwd: repo.dir })
  assert.is(usage.code, 2)
  assert.match(usage.stderr, /missing required argument 'revision'/)
})

test.run()
