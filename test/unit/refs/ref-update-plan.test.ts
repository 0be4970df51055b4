import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InvalidArgumentError, RefConflictError } from '../../../src/errors.js'
import type { ObjectId } from '../../../src/objects/id.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import { checkAllExpected, checkHeadValue, enclosingName, planRefUpdates, validateUpdates } from '../../../src/refs/ref-update-plan.js'
import { testId } from '../../suites/ref-store.js'

const test = suite('ref-update-plan')
const A = testId(1)
const B = testId(2)
const r = (s: string): RefName => s as RefName
const main = { symbolic: r('refs/heads/main') }

test('the plan is sorted by the ref that changes, HEAD resolved to its branch', () => {
  const plan = planRefUpdates([{ name: r('refs/tags/z'), next: A }, { name: r('HEAD'), next: B, expect: A }, { name: r('refs/heads/a'), next: null }], main)
  assert.equal(plan.map((p) => [p.name, p.given, p.logHead, p.index]), [
    ['refs/heads/a', 'refs/heads/a', false, 2],
    ['refs/heads/main', 'HEAD', true, 1],
    ['refs/tags/z', 'refs/tags/z', false, 0],
  ])
  assert.equal(planRefUpdates([{ name: r('HEAD'), next: B }], { id: A }).map((p) => [p.name, p.logHead]), [['HEAD', false]])
})

test('duplicates and directory collisions inside a batch are refused', () => {
  const refused = (updates: { name: RefName; next: ObjectId | null }[], head = main as { symbolic: RefName } | { id: ObjectId }): boolean => {
    try {
      planRefUpdates(updates, head)
      return false
    } catch (err) {
      return err instanceof InvalidArgumentError
    }
  }
  assert.ok(refused([{ name: r('refs/heads/x'), next: A }, { name: r('refs/heads/x'), next: B }]))
  assert.ok(refused([{ name: r('HEAD'), next: A }, { name: r('refs/heads/main'), next: B }]))
  assert.ok(refused([{ name: r('refs/heads/x'), next: A }, { name: r('refs/heads/x/y'), next: B }]))
  assert.ok(refused([{ name: r('HEAD'), next: null }]))
  assert.not.ok(refused([{ name: r('refs/heads/x'), next: A }, { name: r('refs/heads/x-y'), next: B }, { name: r('refs/heads/xy/z'), next: B }]))
})

test('enclosingName looks only at whole components below refs/', () => {
  const has = (set: string[]) => (p: string) => set.includes(p)
  assert.is(enclosingName('refs/heads/a/b/c', has(['refs/heads/a'])), 'refs/heads/a')
  assert.is(enclosingName('refs/heads/ab/c', has(['refs/heads/a'])), undefined)
  assert.is(enclosingName('refs/heads/a', has(['refs/heads', 'refs'])), 'refs/heads')
})

test('expects are checked in the order given', () => {
  const plan = planRefUpdates([{ name: r('refs/heads/z'), next: A, expect: B }, { name: r('refs/heads/a'), next: A, expect: null }], main)
  const current = new Map<string, ObjectId | undefined>([['refs/heads/a', A], ['refs/heads/z', undefined]])
  try {
    checkAllExpected(plan, current)
    assert.unreachable('both expects are stale')
  } catch (err) {
    assert.instance(err, RefConflictError)
    assert.equal((err as RefConflictError).data, { name: 'refs/heads/z', expected: B, actual: null })
    assert.is((err as Error).message, `ref 'refs/heads/z' changed: expected ${B.slice(0, 12)}, found nothing`)
  }
})

test('validation catches bad ids, names and HEAD values', () => {
  const bad = [
    [{ name: r('refs/heads/x'), next: 'nope' }],
    [{ name: r('refs/heads/x'), next: A, expect: A.toUpperCase() }],
    [{ name: r('x'), next: A }],
    [{ name: r('refs/heads/x'), next: A, message: 7 }],
    'not a list',
  ]
  for (const u of bad) assert.throws(() => validateUpdates(u as never), (err: unknown) => err instanceof InvalidArgumentError, JSON.stringify(u))
  for (const h of [{ symbolic: 'refs/tags/v' }, { id: 'abc' }, null, {}]) {
    assert.throws(() => checkHeadValue(h as never), (err: unknown) => err instanceof InvalidArgumentError, JSON.stringify(h))
  }
  checkHeadValue({ id: A })
  checkHeadValue(main)
})

test.run()
