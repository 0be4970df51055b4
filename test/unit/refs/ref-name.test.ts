import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InvalidArgumentError } from '../../../src/errors.js'
import { checkBranchName, checkTagName, isValidRefName, parseRefName } from '../../../src/refs/ref-name.js'

const test = suite('ref-name')

// The cases of git's t/t1402-check-ref-format.sh, restated as full names under refs/ (ours must
// start with 'refs/'), plus our own stricter rules. The third column says where we and git differ.
const table: [name: string, valid: boolean, note?: string][] = [
  ['refs/heads/foo', true],
  ['foo', false, 'git: one level; ours: not under refs/'],
  ['refs/foo/bar/baz', true],
  ['refs///heads/foo', false, "git collapses '//' when normalising; we refuse it"],
  ['refs/heads/foo/', false],
  ['/refs/heads/foo', false],
  ['./foo', false],
  ['.refs/foo', false],
  ['refs/heads/.foo', false],
  ['refs/heads/foo..bar', false],
  ['refs/heads/foo?bar', false],
  ['refs/foo./bar', true],
  ['refs/heads/foo.lock', false],
  ['refs/heads/foo.lock/bar', false],
  ['refs/heads/foo@bar', true],
  ['refs/heads/v@{ation', false],
  ['refs/heads/foo\\bar', false],
  ['refs/heads/foo\tbar', false],
  ['refs/heads/foo\x7fbar', false],
  ['refs/heads/foo\0bar', false],
  ['refs/heads/fu\u00df', false, 'git accepts UTF-8; ours is ASCII only'],
  ['@', false],
  ['refs/heads/@', false, "ours: no component is exactly '@'"],
  ['refs/heads/a@', true],
  ['refs/heads/foo.', false],
  ['refs/heads/*', false],
  ['refs/heads/foo bar', false],
  ['refs/heads/a~1', false],
  ['refs/heads/a^', false],
  ['refs/heads/a:b', false],
  ['refs/heads/a[b', false],
  ['refs/heads/-dash', true],
  ['refs/tags/v1.0.0', true],
  ['refs/remotes/origin/HEAD', true],
  ['refs/heads/a-b_c+d,e=f', true],
  ['HEAD', true],
  ['head', false],
  ['HEAD/x', false],
  ['refs', false],
  ['refs/', false],
  ['', false],
  ['refs/heads/' + 'x'.repeat(255 - 11), true],
  ['refs/heads/' + 'x'.repeat(256 - 11), false],
  ['../x', false],
  ['refs/../x', false],
]

test('the check-ref-format table', () => {
  for (const [name, valid, note] of table) {
    assert.is(isValidRefName(name), valid, `${JSON.stringify(name)} should be ${valid ? 'valid' : 'invalid'}${note ? ` (${note})` : ''}`)
    if (valid) assert.is(parseRefName(name), name)
    else assert.throws(() => parseRefName(name), (err: unknown) => err instanceof InvalidArgumentError)
  }
})

test('the error names the rule broken and quotes the name, control bytes escaped', () => {
  const message = (name: string): string => {
    try {
      parseRefName(name)
    } catch (err) {
      return (err as Error).message
    }
    return 'no error'
  }
  assert.is(message('refs/heads/a..b'), "invalid ref name 'refs/heads/a..b': contains '..'")
  assert.is(message('refs/heads/x.lock'), "invalid ref name 'refs/heads/x.lock': has a component ending with '.lock' ('x.lock')")
  assert.is(message('refs/heads/a\0b'), "invalid ref name 'refs/heads/a\\x00b': contains a control byte")
  assert.is(message('main'), "invalid ref name 'main': does not start with 'refs/' and is not 'HEAD'")
  assert.ok(message('refs/heads/' + 'y'.repeat(400)).length < 200, 'an over-long name is cut in the message')
})

test('branch and tag names expand to full names', () => {
  assert.is(checkBranchName('main'), 'refs/heads/main')
  assert.is(checkBranchName('feature/x'), 'refs/heads/feature/x')
  assert.is(checkTagName('v14.2'), 'refs/tags/v14.2')
})

test('branch and tag names are refused with the short name quoted', () => {
  const cases = ['', '-x', 'HEAD', 'a..b', '@', 'a/', '/a', 'x.lock', 'a b', 'z'.repeat(250)]
  for (const short of cases) {
    assert.throws(() => checkBranchName(short), (err: unknown) => err instanceof InvalidArgumentError && (err as Error).message.startsWith('invalid branch name'), short)
    assert.throws(() => checkTagName(short), (err: unknown) => err instanceof InvalidArgumentError && (err as Error).message.startsWith('invalid tag name'), short)
  }
})

test('a non-string is refused, not crashed on', () => {
  assert.is(isValidRefName(undefined as unknown as string), false)
  assert.throws(() => parseRefName(42 as unknown as string), (err: unknown) => err instanceof InvalidArgumentError)
})

test.run()
