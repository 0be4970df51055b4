import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { currentLockOwner, encodeLockOwner, isLockOwnerDead, parseLockOwner, processStart } from '../../../src/refs/lock-owner.js'

const test = suite('lock-owner')
const onLinux = process.platform === 'linux'

test('an owner record round-trips, and each record is unique', () => {
  const a = currentLockOwner()
  const b = currentLockOwner()
  assert.equal(parseLockOwner(encodeLockOwner(a)), a)
  assert.is.not(encodeLockOwner(a), encodeLockOwner(b), 'the nonce differs')
  assert.equal(parseLockOwner(encodeLockOwner({ ...a, boot: null, pidns: null, start: null })), { ...a, boot: null, pidns: null, start: null })
})

test('text that is not our record parses as undefined', () => {
  for (const text of ['', 'ankagit-lock 2\npid 1\nhost h\nnonce n\n', 'ankagit-lock 1\npid x\nhost h\nnonce n\n', 'ankagit-lock 1\npid 5\nnonce n\n', 'a1b2\n']) {
    assert.is(parseLockOwner(text), undefined, JSON.stringify(text))
  }
})

test('this process is alive; a pid that does not exist is dead', () => {
  const me = currentLockOwner()
  assert.is(isLockOwnerDead(me), false)
  assert.is(isLockOwnerDead({ ...me, pid: 999_999_999 }), true)
  assert.is(isLockOwnerDead({ ...me, pid: 999_999_999, host: 'elsewhere' }), false, 'another host is never judged')
})

test('on Linux the start time of a pid is read from /proc and tells reuse apart', () => {
  if (!onLinux) return
  const me = currentLockOwner()
  assert.ok(me.start !== null && /^\d+$/.test(me.start))
  assert.equal(processStart(process.pid), { start: me.start, zombie: false })
  assert.is(isLockOwnerDead({ ...me, start: String(Number(me.start) + 7) }), true)
  assert.is(isLockOwnerDead({ ...me, start: null }), false, 'unknown start time proves nothing')
  assert.is(processStart(999_999_999), undefined)
})

test.run()
