import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { listRefFiles, pruneEmptyDirs } from '../../../src/refs/ref-files.js'

const test = suite<{ dir: string }>('ref-files', { dir: '' })
test.before.each((ctx) => {
  ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-ref-files-'))
})
test.after.each((ctx) => fs.rmSync(ctx.dir, { recursive: true, force: true }))

function touch(dir: string, rel: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
  fs.writeFileSync(path.join(dir, rel), '')
}

async function names(dir: string, prefix: string): Promise<string[]> {
  const out: string[] = []
  for await (const n of listRefFiles(path.join(dir, 'refs'), 'refs', prefix)) out.push(n)
  return out
}

test('names come out in byte order of the full name, directories sorting as "name/"', async ({ dir }) => {
  for (const rel of ['refs/heads/a0', 'refs/heads/a/b', 'refs/heads/a-b', 'refs/heads/B', 'refs/tags/t', 'refs/heads/.a.new', 'refs/heads/c.lock']) touch(dir, rel)
  const all = await names(dir, '')
  assert.equal(all, ['refs/heads/B', 'refs/heads/a-b', 'refs/heads/a/b', 'refs/heads/a0', 'refs/tags/t'])
  assert.equal(all, [...all].sort())
  assert.equal(await names(dir, 'refs/heads/a'), ['refs/heads/a-b', 'refs/heads/a/b', 'refs/heads/a0'])
  assert.equal(await names(dir, 'refs/heads/a/'), ['refs/heads/a/b'])
  assert.equal(await names(dir, 'refs/t'), ['refs/tags/t'])
  assert.equal(await names(dir, '../'), [])
  assert.equal(await names(path.join(dir, 'missing'), ''), [])
})

test('pruning removes empty directories up to, not including, the category', async ({ dir }) => {
  fs.mkdirSync(path.join(dir, 'refs/heads/a/b'), { recursive: true })
  fs.mkdirSync(path.join(dir, 'logs/refs/heads/a/b'), { recursive: true })
  touch(dir, 'refs/heads/x/keep')
  await pruneEmptyDirs(dir, 'refs/heads/a/b/c')
  await pruneEmptyDirs(dir, 'logs/refs/heads/a/b/c')
  await pruneEmptyDirs(dir, 'refs/heads/x/gone')
  assert.not.ok(fs.existsSync(path.join(dir, 'refs/heads/a')))
  assert.not.ok(fs.existsSync(path.join(dir, 'logs/refs/heads/a')))
  assert.ok(fs.existsSync(path.join(dir, 'logs/refs/heads')))
  assert.ok(fs.existsSync(path.join(dir, 'refs/heads/x/keep')))
  await pruneEmptyDirs(dir, 'refs/heads/x/keep')
  assert.ok(fs.existsSync(path.join(dir, 'refs/heads')))
})

test.run()
