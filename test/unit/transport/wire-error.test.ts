import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fromErrorBody, toErrorResponse, withStatus } from '../../../src/transport/wire-error.js'
import { AnkagitError, CorruptObjectError, InvalidArgumentError, LockedError, NotFoundError, ProtocolError, RefConflictError, RemoteError } from '../../../src/errors.js'

const test = suite('wire errors')

test('each error class maps to its status and comes back as the same class', () => {
  const cases: Array<[AnkagitError, number, Function]> = [
    [new NotFoundError('repository x not found'), 404, NotFoundError],
    [new CorruptObjectError('object y is corrupt'), 422, CorruptObjectError],
    [new RefConflictError("ref 'refs/heads/main' changed", { name: 'refs/heads/main', expected: null, actual: null }), 409, RefConflictError],
    [new InvalidArgumentError('bad'), 400, InvalidArgumentError],
    [new ProtocolError('malformed'), 400, ProtocolError],
    [new LockedError('locked'), 423, LockedError],
    [new AnkagitError('EAUTH', 'invalid token'), 401, AnkagitError],
  ]
  for (const [err, status, cls] of cases) {
    const r = toErrorResponse(err)
    assert.is(r.status, status, err.message)
    const back = fromErrorBody(r.status, JSON.parse(JSON.stringify(r.body)), 'http://h/x')
    assert.instance(back, cls)
    assert.is(back.code, err.code)
    assert.is(back.message, err.message)
    assert.is(back.data.status, status)
  }
})

test('withStatus overrides the default status; data travels', () => {
  const r = toErrorResponse(withStatus(new NotFoundError('object z is missing', { id: 'z' }), 422))
  assert.is(r.status, 422)
  assert.equal(r.body.error.data, { id: 'z' })
})

test('unknown errors are 500 EREMOTE without stack traces', () => {
  const r = toErrorResponse(new TypeError('boom'))
  assert.is(r.status, 500)
  assert.equal(r.body, { error: { code: 'EREMOTE', message: 'internal error: boom' } })
  const back = fromErrorBody(500, r.body, 'http://h/x')
  assert.instance(back, RemoteError)
  assert.match(back.message, /remote 'http:\/\/h\/x' failed: internal error: boom/)
})

test('bodies that are not error bodies become RemoteError naming the status', () => {
  const e = fromErrorBody(502, '<html>bad gateway</html>', 'http://h/x')
  assert.instance(e, RemoteError)
  assert.is(e.message, "remote 'http://h/x' answered 502 without an error body")
  const multi = fromErrorBody(400, { error: { code: 'EINVALID', message: 'a\nb' } }, 'u')
  assert.is(multi.message, 'a b')
})

test.run()
