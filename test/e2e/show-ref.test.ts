import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit show-ref')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('show-ref')
  await repo.run(['tag', 'light', 'HEAD~1'])
  await repo.run(['tag', '-a', 'v2', '-m', 'two'])
  await repo.run(['branch', 'old', 'HEAD~1'])
})

test('"<id> <ref>" lines sorted by name, filtered by --heads, --tags and patterns', async () => {
  const tagId = (await repo.run(['rev-parse', 'v2'])).stdout.trim()
  assert.is((await repo.run(['show-ref'])).stdout, `${repo.c2} refs/heads/main\n${repo.c1} refs/heads/old\n${repo.c1} refs/tags/light\n${tagId} refs/tags/v2\n`)
  assert.is((await repo.run(['show-ref', '--heads'])).stdout, `${repo.c2} refs/heads/main\n${repo.c1} refs/heads/old\n`)
  assert.is((await repo.run(['show-ref', '--tags', '-d'])).stdout, `${repo.c1} refs/tags/light\n${tagId} refs/tags/v2\n${repo.c2} refs/tags/v2^{}\n`)
  assert.is((await repo.run(['show-ref', 'old', 'light'])).stdout, `${repo.c1} refs/heads/old\n${repo.c1} refs/tags/light\n`)
  assert.is((await repo.run(['show-ref', '--head', '--heads'])).stdout.split('\n')[0], `${repo.c2} HEAD`)
})

test('no matching ref is exit 10', async () => {
  assertCliError(await run(['show-ref', 'nothing'], { cwd: repo.dir }), 10, /no ref matches 'nothing'/)
})

test.run()
