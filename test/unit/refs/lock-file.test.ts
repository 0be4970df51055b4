import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { AbortError, LockedError } from '../../../src/errors.js'
import { LockFile } from '../../../src/refs/lock-file.js'
import { currentLockOwner, encodeLockOwner, parseLockOwner } from '../../../src/refs/lock-owner.js'
import { holdLockInChild, killChild } from './ref-child-control.js'

const test = suite<{ dir: string }>('lock-file', { dir: '' })
test.before.each((ctx) => {
  ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-lock-'))
})
test.after.each((ctx) => fs.rmSync(ctx.dir, { recursive: true, force: true }))

async function lockedError(p: Promise<unknown>): Promise<LockedError> {
  try {
    await p
  } catch (err) {
    assert.instance(err, LockedError)
    return err as LockedError
  }
  throw new Error('expected LockedError, but the lock was taken')
}

test('acquire writes a complete owner record, release removes it and leaves no debris', async ({ dir }) => {
  const target = path.join(dir, 'a', 'b', 'ref')
  const lock = await LockFile.acquire(target)
  const owner = parseLockOwner(fs.readFileSync(`${target}.lock`, 'utf8'))
  assert.is(owner?.pid, process.pid)
  assert.is(owner?.host, os.hostname())
  assert.is(lock.createdDir, path.join(dir, 'a'))
  await lock.release()
  assert.equal(fs.readdirSync(path.join(dir, 'a', 'b')), [])
})

test('a second acquirer waits for release', async ({ dir }) => {
  const target = path.join(dir, 'ref')
  const first = await LockFile.acquire(target)
  let secondHas = false
  const second = LockFile.acquire(target, { timeoutMs: 5000 }).then((l) => {
    secondHas = true
    return l
  })
  await new Promise((res) => setTimeout(res, 30))
  assert.is(secondHas, false, 'must not get the lock while the first holds it')
  await first.release()
  await (await second).release()
  assert.ok(secondHas)
})

test('a lock held by this live process is not stolen: LockedError after the wait', async ({ dir }) => {
  const target = path.join(dir, 'ref')
  const held = await LockFile.acquire(target)
  const err = await lockedError(LockFile.acquire(target, { timeoutMs: 50, what: "ref 'refs/heads/x'" }))
  assert.match(err.message, `ref 'refs/heads/x' is locked by pid ${process.pid}`)
  assert.is(err.data.pid, process.pid)
  await held.release()
})

test('a lock left by a killed child process is recovered', async ({ dir }) => {
  const target = path.join(dir, 'ref')
  const child = await holdLockInChild(target)
  const before = fs.readFileSync(`${target}.lock`, 'utf8')
  assert.is(parseLockOwner(before)?.pid, child.proc.pid)
  await killChild(child)
  const lock = await LockFile.acquire(target, { timeoutMs: 0 })
  assert.is.not(fs.readFileSync(`${target}.lock`, 'utf8'), before)
  await lock.release()
  assert.equal(fs.readdirSync(dir), [], 'no stale or temp files left')
})

test('a lock held by a live child process is not stolen', async ({ dir }) => {
  const target = path.join(dir, 'ref')
  const child = await holdLockInChild(target)
  try {
    const before = fs.readFileSync(`${target}.lock`, 'utf8')
    const err = await lockedError(LockFile.acquire(target, { timeoutMs: 200 }))
    assert.is(err.data.pid, child.proc.pid)
    assert.is(fs.readFileSync(`${target}.lock`, 'utf8'), before, 'the lock file is untouched')
  } finally {
    await killChild(child)
  }
})

test('a reused pid (same pid, other start time) or an older boot proves the owner dead', async ({ dir }) => {
  const target = path.join(dir, 'ref')
  const me = currentLockOwner()
  if (me.start !== null) {
    fs.writeFileSync(`${target}.lock`, encodeLockOwner({ ...me, start: String(Number(me.start) + 1) }))
    await (await LockFile.acquire(target, { timeoutMs: 0 })).release()
  }
  if (me.boot !== null) {
    fs.writeFileSync(`${target}.lock`, encodeLockOwner({ ...me, boot: 'another-boot' }))
    await (await LockFile.acquire(target, { timeoutMs: 0 })).release()
  }
  assert.not.ok(fs.existsSync(`${target}.lock`))
})

test('locks that cannot be judged are never removed: other host, other pid namespace, unknown text', async ({ dir }) => {
  const target = path.join(dir, 'ref')
  const me = currentLockOwner()
  const cases = [
    encodeLockOwner({ ...me, pid: 999_999_999, host: 'elsewhere' }),
    encodeLockOwner({ ...me, pid: 999_999_999, pidns: 'pid:[1]' }),
    '',
    'written by some other tool\n',
  ]
  for (const text of cases) {
    fs.writeFileSync(`${target}.lock`, text)
    await lockedError(LockFile.acquire(target, { timeoutMs: 20 }))
    assert.is(fs.readFileSync(`${target}.lock`, 'utf8'), text)
  }
})

test('release leaves a lock that is no longer ours alone', async ({ dir }) => {
  const target = path.join(dir, 'ref')
  const lock = await LockFile.acquire(target)
  const other = encodeLockOwner(currentLockOwner())
  fs.writeFileSync(`${target}.lock`, other)
  await lock.release()
  assert.is(fs.readFileSync(`${target}.lock`, 'utf8'), other)
})

test('an aborted signal stops the wait', async ({ dir }) => {
  const target = path.join(dir, 'ref')
  const held = await LockFile.acquire(target)
  const ac = new AbortController()
  const waiting = LockFile.acquire(target, { timeoutMs: 10_000, signal: ac.signal })
  setTimeout(() => ac.abort(), 20)
  try {
    await waiting
    assert.unreachable('must not get the lock')
  } catch (err) {
    assert.instance(err, AbortError)
  }
  await held.release()
})

test.run()
