import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createAuthorizer, parseAuthFile } from '../../../src/daemon/auth.js'
import { InvalidArgumentError } from '../../../src/errors.js'

const test = suite('daemon auth file')

const FILE = `
# token                      access  pattern
writer-0123456789abcdef      write   macos-*
reader-0123456789abcdef      read    *   # every repository
writer-0123456789abcdef      read    linux
`

test('grants read and write per pattern; write implies read', () => {
  const auth = createAuthorizer(parseAuthFile(FILE, 'auth'))
  assert.is(auth('writer-0123456789abcdef', 'macos-14', 'write'), 'ok')
  assert.is(auth('writer-0123456789abcdef', 'macos-14', 'read'), 'ok')
  assert.is(auth('writer-0123456789abcdef', 'linux', 'read'), 'ok')
  assert.is(auth('writer-0123456789abcdef', 'linux', 'write'), 'forbidden')
  assert.is(auth('writer-0123456789abcdef', 'windows', 'read'), 'forbidden')
  assert.is(auth('reader-0123456789abcdef', 'anything', 'read'), 'ok')
  assert.is(auth('reader-0123456789abcdef', 'anything', 'write'), 'forbidden')
  assert.is(auth('reader-0123456789abcdef', undefined, 'read'), 'ok')
})

test('unknown or missing tokens are unauthenticated; near misses too', () => {
  const auth = createAuthorizer(parseAuthFile(FILE, 'auth'))
  assert.is(auth(undefined, 'macos-14', 'read'), 'unauthenticated')
  assert.is(auth('writer-0123456789abcdeF', 'macos-14', 'read'), 'unauthenticated')
  assert.is(auth('writer-0123456789abcde', 'macos-14', 'read'), 'unauthenticated')
  assert.is(auth('', 'macos-14', 'read'), 'unauthenticated')
})

test('patterns match whole names; dots are literal', () => {
  const auth = createAuthorizer(parseAuthFile('tok-0123456789abcdef write vm.1\n', 'auth'))
  assert.is(auth('tok-0123456789abcdef', 'vm.1', 'write'), 'ok')
  assert.is(auth('tok-0123456789abcdef', 'vmx1', 'write'), 'forbidden')
  assert.is(auth('tok-0123456789abcdef', 'vm.10', 'write'), 'forbidden')
})

test('bad lines are refused with their line number and without the token', () => {
  const cases: Array<[string, RegExp]> = [
    ['short write *', /line 1: token must be at least 16/],
    ['tok-0123456789abcdef admin *', /line 1: access must be 'read' or 'write'/],
    ['\ntok-0123456789abcdef write', /line 2: expected/],
    ['tok-0123456789abcdef write ../x', /bad repository pattern/],
  ]
  for (const [text, match] of cases) {
    try {
      parseAuthFile(text, '/etc/ankagit/auth')
      assert.unreachable(text)
    } catch (err) {
      assert.instance(err, InvalidArgumentError)
      assert.match((err as Error).message, match)
      assert.match((err as Error).message, /^auth file '\/etc\/ankagit\/auth'/)
      assert.not.match((err as Error).message, /0123456789abcdef/)
    }
  }
})

test.run()
