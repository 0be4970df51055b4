import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import { spawnSync } from 'node:child_process'
import { CLI_MAIN, run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit log')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('log')
})

test("git's layout: commit line, Author, Date, the message indented", async () => {
  const out = (await repo.run(['log'])).stdout
  const date = String.raw`Date:   \w{3} \w{3} \d{1,2} \d\d:\d\d:\d\d \d{4} [+-]\d{4}`
  const expected = new RegExp(
    `^commit ${repo.c2}\nAuthor: Ada Tester <ada@example.com>\n${date}\n\n    second version\n\n    with a body\n\n` +
      `commit ${repo.c1}\nAuthor: Ada Tester <ada@example.com>\n${date}\n\n    first version\n$`,
  )
  assert.match(out, expected)
})

test('--oneline, -n, a starting revision, --json', async () => {
  assert.is((await repo.run(['log', '--oneline'])).stdout, `${repo.c2.slice(0, 12)} second version\n${repo.c1.slice(0, 12)} first version\n`)
  assert.is((await repo.run(['log', '--oneline', '-n', '1'])).stdout, `${repo.c2.slice(0, 12)} second version\n`)
  assert.is((await repo.run(['log', '--oneline', 'HEAD~1'])).stdout, `${repo.c1.slice(0, 12)} first version\n`)
  const json = JSON.parse((await repo.run(['log', '--json'])).stdout)
  assert.equal(json.map((c: { id: string; parents: string[] }) => [c.id, c.parents]), [[repo.c2, [repo.c1]], [repo.c1, []]])
  assert.is(json[0].author.name, 'Ada Tester')
  assert.is(json[0].message, 'second version\n\nwith a body\n')
})

test('errors: unknown revision, bad count, a branch with no commit yet', async () => {
  assertCliError(await run(['log', 'nope'], { cwd: repo.dir }), 10, /unknown revision 'nope'/)
  assertCliError(await run(['log', '-n', 'x'], { cwd: repo.dir }), 2, /invalid count 'x'/)
  const empty = tmpDir('ankagit-log-empty-')
  await runOk(['init', '-q'], { cwd: empty })
  assertCliError(await run(['log'], { cwd: empty }), 10, /HEAD names a branch with no commit yet/)
})

test('output to a full disk: one line and exit 11, not a stack trace; a closed pipe ends quietly', () => {
  const full = fs.openSync('/dev/full', 'w')
  try {
    const r = spawnSync(process.execPath, [CLI_MAIN, 'log'], { cwd: repo.dir, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' })
    assert.is(r.status, 11, r.stderr)
    assert.is(r.stderr, 'ankagit: cannot write the output: no space left on device\n')
  } finally {
    fs.closeSync(full)
  }
  const piped = spawnSync('sh', ['-c', `'${process.execPath}' '${CLI_MAIN}' log | head -c 1 >/dev/null`], { cwd: repo.dir, encoding: 'utf8' })
  assert.is(piped.stderr, '')
})

test.run()
