/**
 * `ankagit du` on a real VM repository (sparse ext4 disk, two commits, the second an in-place
 * update): the table, the JSON, and that the estimates add up to what the store holds.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit du')
let repo: VmRepo

interface Row { id: string; parents: string[]; subject: string; chunks: number; rawBytes: number; storedBytes: number; metadataObjects: number; metadataBytes: number }

test.before(async () => {
  repo = await vmRepo('du')
})

test('--json: every commit of HEAD, newest first; together they account for the whole store', async () => {
  const rows = JSON.parse((await repo.run(['du', '--json'])).stdout) as Row[]
  assert.equal(rows.map((r) => [r.id, r.parents, r.subject]), [[repo.c2, [repo.c1], 'second version'], [repo.c1, [], 'first version']])
  const count = JSON.parse((await repo.run(['count-objects', '--json'])).stdout)
  assert.is(rows[0]!.chunks + rows[1]!.chunks, count.byKind.chunk)
  assert.is(rows[0]!.rawBytes + rows[1]!.rawBytes, count.chunkBytes)
  assert.ok(rows.every((r) => r.chunks > 0 && r.rawBytes > 0 && r.storedBytes > 0 && r.metadataObjects > 1))
  const stored = rows.reduce((a, r) => a + r.storedBytes + r.metadataBytes, 0)
  // Pack files add a header and a trailer each; every object's estimate is rounded.
  const slack = count.packs * 128 + count.objects
  assert.ok(Math.abs(stored - count.packBytes) <= slack, `estimates ${stored}, packs ${count.packBytes}`)
})

test('the table: a header, one row per commit (short id, new data, stored, chunks, subject), a total', async () => {
  const lines = (await repo.run(['du'])).stdout.trimEnd().split('\n')
  assert.match(lines[0]!, /^commit\s+new data\s+stored\s+chunks\s+subject$/)
  assert.match(lines[1]!, new RegExp(`^${repo.c2.slice(0, 12)}\\s+[\\d.]+ [KM]iB\\s+[\\d.]+ [KM]iB\\s+\\d+\\s+second version$`))
  assert.match(lines[2]!, new RegExp(`^${repo.c1.slice(0, 12)}\\s+[\\d.]+ MiB\\s+[\\d.]+ [KM]iB\\s+\\d+\\s+first version$`))
  assert.match(lines[3]!, /^2 commits\s+[\d.]+ MiB\s+[\d.]+ [KM]iB\s+\d+$/)
  assert.is(lines.length, 4)
  // Columns line up: each size ends where its header does.
  assert.is(lines[1]!.indexOf('iB') + 2, lines[0]!.indexOf('new data') + 'new data'.length)
})

test('revisions are measured exactly as given; -n limits the history; -q prints nothing', async () => {
  const rows = JSON.parse((await repo.run(['du', 'HEAD~1', 'HEAD', '--json'])).stdout) as Row[]
  assert.equal(rows.map((r) => r.id), [repo.c1, repo.c2])
  assert.equal((JSON.parse((await repo.run(['du', '-n', '1', '--json'])).stdout) as Row[]).map((r) => r.id), [repo.c2])
  assert.is((await repo.run(['du', '-q'])).stdout, '')
})

test('errors: unknown revision, bad count', async () => {
  assertCliError(await run(['du', 'nope'], { cwd: repo.dir }), 10, /unknown revision 'nope'/)
  assertCliError(await run(['du', '-n', 'x'], { cwd: repo.dir }), 2, /invalid count 'x'/)
})

test.run()
