import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CorruptObjectError, InvalidArgumentError, LockedError } from '../../../src/errors.js'
import { FileRefStore } from '../../../src/refs/file-ref-store.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import { collect, rejects, testId } from '../../suites/ref-store.js'
import { holdLockInChild, killChild, startChild } from './ref-child-control.js'

const A = testId(1)
const B = testId(2)
const r = (s: string): RefName => s as RefName

const test = suite<{ root: string; dir: string; s: FileRefStore }>('file-ref-store')
test.before.each((ctx) => {
  ctx.root = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-frs-'))
  ctx.dir = path.join(ctx.root, 'repo')
  ctx.s = new FileRefStore(ctx.dir, { who: 'me@here', now: () => 1234 })
})
test.after.each((ctx) => fs.rmSync(ctx.root, { recursive: true, force: true }))

/** Every file under dir, as sorted '/'-separated relative paths. */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join('/'))
    .sort()
}

test("git's layout: HEAD, loose refs holding one id line, reflogs; no lock or staging debris", async ({ dir, s }) => {
  await s.update([{ name: r('HEAD'), next: A, message: 'commit (initial)' }])
  await s.update([{ name: r('refs/tags/v1'), next: B }])
  assert.not.ok(fs.existsSync(path.join(dir, 'HEAD')), 'a store with no HEAD file reads as HEAD -> main')
  await s.writeHead({ symbolic: r('refs/heads/main') })
  assert.equal(tree(dir), ['HEAD', 'logs/HEAD', 'logs/refs/heads/main', 'logs/refs/tags/v1', 'refs/heads/main', 'refs/tags/v1'])
  assert.is(fs.readFileSync(path.join(dir, 'HEAD'), 'utf8'), 'ref: refs/heads/main\n')
  assert.is(fs.readFileSync(path.join(dir, 'refs/heads/main'), 'utf8'), `${A}\n`)
  assert.is(fs.readFileSync(path.join(dir, 'logs/refs/heads/main'), 'utf8'), `${'0'.repeat(64)} ${A} 1234 me@here\tcommit (initial)\n`)
  await s.writeHead({ id: B })
  assert.is(fs.readFileSync(path.join(dir, 'HEAD'), 'utf8'), `${B}\n`)
})

test('deleting a ref removes its file, its log and the directories left empty', async ({ dir, s }) => {
  await s.update([{ name: r('refs/heads/team/x/y'), next: A }, { name: r('refs/heads/keep'), next: A }])
  await s.update([{ name: r('refs/heads/team/x/y'), next: null }])
  assert.equal(tree(dir), ['logs/refs/heads/keep', 'refs/heads/keep'])
  assert.not.ok(fs.existsSync(path.join(dir, 'refs/heads/team')))
  assert.not.ok(fs.existsSync(path.join(dir, 'logs/refs/heads/team')))
  await s.update([{ name: r('refs/heads/team'), next: B, expect: null }])
  assert.is(await s.read(r('refs/heads/team')), B)
})

test('hostile names are refused before anything is created on disk', async ({ root, dir, s }) => {
  for (const name of ['../escape', 'refs/../../escape', '/tmp/abs', 'refs/heads/a\0b', `refs/heads/${'n'.repeat(300)}`]) {
    await rejects(s.update([{ name: r(name), next: A }]), InvalidArgumentError, name)
    await rejects(s.reflog(r(name)), InvalidArgumentError, name)
  }
  assert.equal(fs.readdirSync(root), [], 'not even the store directory was made')
  assert.not.ok(fs.existsSync(dir))
})

test('corrupt refs and HEAD are reported, not read as absent', async ({ dir, s }) => {
  await s.update([{ name: r('refs/heads/main'), next: A }])
  fs.writeFileSync(path.join(dir, 'refs/heads/main'), 'not an id\n')
  await rejects(s.read(r('refs/heads/main')), CorruptObjectError, 'read')
  await rejects(collect(s), CorruptObjectError, 'list')
  fs.writeFileSync(path.join(dir, 'HEAD'), 'ref: refs/tags/v1\n')
  await rejects(s.readHead(), CorruptObjectError, 'HEAD at a tag')
})

test('list skips lock, staging and stray files', async ({ dir, s }) => {
  await s.update([{ name: r('refs/heads/main'), next: A }])
  fs.writeFileSync(path.join(dir, 'refs/heads/other.lock'), 'x')
  fs.writeFileSync(path.join(dir, 'refs/heads/.main.new'), `${B}\n`)
  fs.writeFileSync(path.join(dir, 'refs/heads/bad name'), `${B}\n`)
  assert.equal(await collect(s), [['refs/heads/main', A]])
})

test('an empty directory where a ref goes is removed; a non-empty one is a conflict', async ({ dir, s }) => {
  fs.mkdirSync(path.join(dir, 'refs/heads/a'), { recursive: true })
  await s.update([{ name: r('refs/heads/a'), next: A }])
  assert.is(await s.read(r('refs/heads/a')), A)
  fs.mkdirSync(path.join(dir, 'refs/heads/b'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'refs/heads/b/c.lock'), 'someone is creating b/c')
  await rejects(s.update([{ name: r('refs/heads/b'), next: A }]), InvalidArgumentError, 'directory in the way')
})

test('separate processes racing on one expect: exactly one wins', async ({ dir, s }) => {
  await s.update([{ name: r('refs/heads/main'), next: A }])
  const goAt = String(Date.now() + 1500)
  const ids = [10, 11, 12, 13].map(testId)
  const children = ids.map((id) => startChild(['race', dir, 'refs/heads/main', A, id, goAt]))
  const outputs = (await Promise.all(children.map((c) => c.exited))).map((o) => o.trim())
  assert.is(outputs.filter((o) => o === 'won').length, 1, outputs.join(','))
  assert.is(outputs.filter((o) => o === 'conflict').length, 3, outputs.join(','))
  assert.is(await s.read(r('refs/heads/main')), ids[outputs.indexOf('won')])
})

test('separate processes doing CAS loops lose no update: the reflog is one unbroken chain', async ({ dir, s }) => {
  const perChild = 12
  const children = ['p', 'q', 'r'].map((seed) => startChild(['chain', dir, 'refs/heads/counter', seed, String(perChild)]))
  await Promise.all(children.map((c) => c.exited))
  const log = await s.reflog(r('refs/heads/counter'))
  assert.is(log.length, 3 * perChild)
  assert.is(log[0]!.next, await s.read(r('refs/heads/counter')))
  for (let i = 0; i + 1 < log.length; i++) assert.is(log[i]!.old, log[i + 1]!.next, `entry ${i} follows entry ${i + 1}`)
  assert.is(log[log.length - 1]!.old, null)
})

test('a lock left by a killed process is recovered by the next update', async ({ dir, s }) => {
  await s.update([{ name: r('refs/heads/main'), next: A }])
  const child = await holdLockInChild(path.join(dir, 'refs/heads/main'))
  await killChild(child)
  await s.update([{ name: r('refs/heads/main'), next: B, expect: A }])
  assert.is(await s.read(r('refs/heads/main')), B)
  assert.equal(tree(path.join(dir, 'refs')), ['heads/main'])
})

test('a lock held by a live process gives LockedError and changes nothing', async ({ dir }) => {
  const s = new FileRefStore(dir, { lockTimeoutMs: 150 })
  await s.update([{ name: r('refs/heads/a'), next: A }])
  const child = await holdLockInChild(path.join(dir, 'refs/heads/b'))
  try {
    const err = await rejects(s.update([{ name: r('refs/heads/a'), next: B }, { name: r('refs/heads/b'), next: B }]), LockedError, 'held')
    assert.is(err.data.pid, child.proc.pid)
    assert.match(err.message, "ref 'refs/heads/b' is locked by pid")
    assert.is(await s.read(r('refs/heads/a')), A)
    assert.ok(fs.existsSync(path.join(dir, 'refs/heads/b.lock')), 'the live lock is still there')
    assert.not.ok(fs.existsSync(path.join(dir, 'refs/heads/a.lock')), 'our own locks were released')
  } finally {
    await killChild(child)
  }
})

test.run()
