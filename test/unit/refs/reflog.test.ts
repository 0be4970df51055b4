import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CorruptObjectError } from '../../../src/errors.js'
import { cleanReflogEntry, encodeReflogEntry, parseReflog } from '../../../src/refs/reflog.js'
import type { ReflogEntry } from '../../../src/refs/ref-store.js'
import { testId } from '../../suites/ref-store.js'

const test = suite('reflog')
const A = testId(1)
const B = testId(2)

test('lines round-trip, newest first, null as 64 zeros', () => {
  const entries: ReflogEntry[] = [
    { old: null, next: A, who: 'ann@host', time: 1000, message: 'branch: created' },
    { old: A, next: B, who: 'bob smith@host', time: 2000, message: 'commit: x\ty' },
    { old: B, next: null, who: 'ann@host', time: 3000, message: '' },
  ]
  const text = entries.map(encodeReflogEntry).join('')
  assert.is(text.split('\n')[0], `${'0'.repeat(64)} ${A} 1000 ann@host\tbranch: created`)
  assert.equal(parseReflog(text, 'refs/heads/x'), [...entries].reverse())
})

test('texts are kept to one line', () => {
  const e = cleanReflogEntry({ old: A, next: B, who: 'a\tb\nc', time: 1.9, message: 'one\ntwo\r\x00three' })
  assert.equal([e.who, e.message, e.time], ['a b c', 'one two  three', 1])
  assert.is(encodeReflogEntry(e).split('\n').length, 2)
})

test('a torn last line is skipped; any other malformed line is corruption', () => {
  const good = encodeReflogEntry({ old: null, next: A, who: 'w', time: 1, message: 'm' })
  assert.is(parseReflog(good + good.slice(0, 40), 'HEAD').length, 1)
  assert.equal(parseReflog('', 'HEAD'), [])
  assert.throws(() => parseReflog(`garbage\n${good}`, 'HEAD'), (err: unknown) => err instanceof CorruptObjectError && /line 1/.test((err as Error).message))
  assert.throws(() => parseReflog(good.replace(' 1 ', ' x '), 'HEAD'), (err: unknown) => err instanceof CorruptObjectError)
})

test.run()
