/**
 * The RefStore conformance suite: every RefStore implementation runs these same cases, which
 * pin the contract written on the interface (src/refs/ref-store.ts). Call refStoreSuite from a
 * test file with a factory that makes an empty store using the given options.
 */
import { createHash } from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { AbortError, InvalidArgumentError, RefConflictError } from '../../src/errors.js'
import type { ObjectId } from '../../src/objects/id.js'
import type { RefName } from '../../src/refs/ref-name.js'
import type { RefStore, RefStoreOptions } from '../../src/refs/ref-store.js'

/** A well-formed id for test number n (never the all-zero id a reflog uses for "none"). */
export function testId(n: number): ObjectId {
  return createHash('sha256').update(`ref-store test id ${n}`).digest('hex') as ObjectId
}

const A = testId(1)
const B = testId(2)
const C = testId(3)
const r = (s: string): RefName => s as RefName

export async function collect(store: RefStore, prefix?: string): Promise<[string, string][]> {
  const out: [string, string][] = []
  for await (const entry of store.list(prefix)) out.push(entry)
  return out
}

export async function rejects<T extends Error>(p: Promise<unknown>, type: new (...a: never[]) => T, what: string): Promise<T> {
  try {
    await p
  } catch (err) {
    assert.instance(err, type, `${what}: expected ${type.name}, got ${String(err)}`)
    return err as T
  }
  assert.unreachable(`${what}: expected ${type.name}, but it succeeded`)
  throw new Error('unreachable')
}

export function refStoreSuite(
  name: string,
  make: (opts: RefStoreOptions) => Promise<RefStore>,
  cleanup: (store: RefStore) => Promise<void> = async () => {},
): void {
  const test = suite<{ s: RefStore; clock: { t: number } }>(`RefStore conformance: ${name}`)
  test.before.each(async (ctx) => {
    ctx.clock = { t: 1_700_000_000_000 }
    const clock = ctx.clock
    ctx.s = await make({ who: 'tester@suite', now: () => ++clock.t })
  })
  test.after.each(async (ctx) => cleanup(ctx.s))

  test('create, read, update, delete', async ({ s }) => {
    const main = r('refs/heads/main')
    assert.is(await s.read(main), undefined)
    await s.update([{ name: main, next: A, expect: null }])
    assert.is(await s.read(main), A)
    await s.update([{ name: main, next: B, expect: A }])
    assert.is(await s.read(main), B)
    await s.update([{ name: main, next: C }])
    assert.is(await s.read(main), C)
    await s.update([{ name: main, next: null, expect: C }])
    assert.is(await s.read(main), undefined)
    await s.update([{ name: main, next: null }]) // deleting an absent ref without expect is a no-op
    await s.update([])
  })

  test('expect null on an existing ref is a conflict carrying name, expected and actual', async ({ s }) => {
    await s.update([{ name: r('refs/tags/v1'), next: A }])
    const err = await rejects(s.update([{ name: r('refs/tags/v1'), next: B, expect: null }]), RefConflictError, 'create over existing')
    assert.equal(err.data, { name: 'refs/tags/v1', expected: null, actual: A })
    assert.match(err.message, "ref 'refs/tags/v1' changed")
    assert.is(await s.read(r('refs/tags/v1')), A)
  })

  test('a wrong expect is a conflict, on an existing and on a missing ref', async ({ s }) => {
    await s.update([{ name: r('refs/heads/x'), next: A }])
    const e1 = await rejects(s.update([{ name: r('refs/heads/x'), next: C, expect: B }]), RefConflictError, 'wrong expect')
    assert.equal(e1.data, { name: 'refs/heads/x', expected: B, actual: A })
    const e2 = await rejects(s.update([{ name: r('refs/heads/none'), next: C, expect: B }]), RefConflictError, 'expect on missing')
    assert.equal(e2.data, { name: 'refs/heads/none', expected: B, actual: null })
    await rejects(s.update([{ name: r('refs/heads/none'), next: null, expect: B }]), RefConflictError, 'delete with expect on missing')
    assert.is(await s.read(r('refs/heads/x')), A)
    assert.is(await s.read(r('refs/heads/none')), undefined)
  })

  test('a multi-ref update is all or nothing', async ({ s }) => {
    await s.update([{ name: r('refs/heads/b'), next: A }])
    const updates = [
      { name: r('refs/heads/a'), next: A, expect: null },
      { name: r('refs/heads/b'), next: C, expect: B },
      { name: r('refs/tags/t'), next: C },
    ]
    const err = await rejects(s.update(updates), RefConflictError, 'one stale expect')
    assert.is(err.data.name, 'refs/heads/b')
    assert.equal(await collect(s), [['refs/heads/b', A]])
    await s.update([{ name: r('refs/heads/a'), next: A, expect: null }, { name: r('refs/heads/b'), next: C, expect: A }, { name: r('refs/tags/t'), next: C }])
    assert.equal(await collect(s), [['refs/heads/a', A], ['refs/heads/b', C], ['refs/tags/t', C]])
  })

  test('the conflict names the first failing update in the order given', async ({ s }) => {
    const err = await rejects(
      s.update([{ name: r('refs/heads/z'), next: A, expect: B }, { name: r('refs/heads/a'), next: A, expect: B }]),
      RefConflictError,
      'two stale expects',
    )
    assert.is(err.data.name, 'refs/heads/z')
  })

  test('concurrent updaters of one ref with the same expect: exactly one wins', async ({ s }) => {
    const main = r('refs/heads/main')
    await s.update([{ name: main, next: A }])
    const ids = Array.from({ length: 8 }, (_, i) => testId(100 + i))
    const results = await Promise.allSettled(ids.map((id) => s.update([{ name: main, next: id, expect: A }])))
    const won = results.flatMap((res, i) => (res.status === 'fulfilled' ? [ids[i]] : []))
    assert.is(won.length, 1, 'one winner')
    for (const res of results) if (res.status === 'rejected') assert.instance(res.reason, RefConflictError)
    assert.is(await s.read(main), won[0])
  })

  test('concurrent updates of different refs all succeed', async ({ s }) => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => s.update([{ name: r(`refs/heads/b${i}`), next: testId(i), expect: null }])))
    assert.is((await collect(s, 'refs/heads/')).length, 6)
  })

  test('list is sorted by name in byte order and filtered by prefix', async ({ s }) => {
    const names = ['refs/tags/v1', 'refs/heads/x0', 'refs/heads/x/y', 'refs/remotes/origin/main', 'refs/heads/x-y', 'refs/heads/Q']
    for (const [i, n] of names.entries()) await s.update([{ name: r(n), next: testId(i) }])
    const all = (await collect(s)).map(([n]) => n)
    assert.equal(all, [...names].sort())
    assert.equal(all.slice(0, 4), ['refs/heads/Q', 'refs/heads/x-y', 'refs/heads/x/y', 'refs/heads/x0'])
    assert.equal((await collect(s, 'refs/heads/x')).map(([n]) => n), ['refs/heads/x-y', 'refs/heads/x/y', 'refs/heads/x0'])
    assert.equal(await collect(s, 'refs/tags/'), [['refs/tags/v1', testId(0)]])
    assert.equal(await collect(s, 'refs/remotes/origin/main'), [['refs/remotes/origin/main', testId(3)]])
    assert.equal(await collect(s, 'refs/none/'), [])
    assert.equal(await collect(s, '../'), [])
  })

  test('reflog lists changes newest first, and deleting a ref drops its log', async ({ s }) => {
    const main = r('refs/heads/main')
    await s.update([{ name: main, next: A, message: 'first' }])
    await s.update([{ name: main, next: B, message: 'second\nline' }])
    await s.update([{ name: main, next: B, message: 'no change' }])
    const log = await s.reflog(main)
    assert.equal(log.map((e) => [e.old, e.next, e.message]), [[A, B, 'second line'], [null, A, 'first']])
    assert.ok(log.every((e) => e.who === 'tester@suite'))
    assert.ok(log[0]!.time > log[1]!.time, 'times from the store clock')
    assert.equal(await s.reflog(r('refs/heads/never')), [])
    await s.update([{ name: main, next: null }])
    assert.equal(await s.reflog(main), [])
  })

  test('expireReflog drops entries older than the cutoff and leaves the ref alone', async ({ s }) => {
    const main = r('refs/heads/main')
    await s.update([{ name: main, next: A, message: 'old' }])
    const cutoff = (await s.reflog(main))[0]!.time + 1
    await s.update([{ name: main, next: B, message: 'new' }])
    assert.is(await s.expireReflog(main, cutoff), 1)
    assert.equal((await s.reflog(main)).map((e) => e.message), ['new'])
    assert.is(await s.read(main), B)
    assert.is(await s.expireReflog(main, cutoff), 0, 'idempotent')
    assert.is(await s.expireReflog(r('refs/heads/never'), cutoff), 0)
  })

  test('HEAD starts symbolic at main; updating HEAD moves the branch and logs both', async ({ s }) => {
    assert.equal(await s.readHead(), { symbolic: 'refs/heads/main' })
    assert.is(await s.read(r('HEAD')), undefined)
    await s.update([{ name: r('HEAD'), next: A, expect: null, message: 'commit (initial)' }])
    assert.is(await s.read(r('refs/heads/main')), A)
    assert.is(await s.read(r('HEAD')), A)
    await s.update([{ name: r('refs/heads/main'), next: B, expect: A, message: 'direct' }])
    assert.equal((await s.reflog('HEAD')).map((e) => e.message), ['direct', 'commit (initial)'])
    assert.equal((await s.reflog(r('refs/heads/main'))).map((e) => e.message), ['direct', 'commit (initial)'])
    await s.update([{ name: r('refs/heads/other'), next: C }])
    assert.is((await s.reflog('HEAD')).length, 2, 'another branch does not log to HEAD')
    const err = await rejects(s.update([{ name: r('HEAD'), next: C, expect: A }]), RefConflictError, 'stale expect through HEAD')
    assert.is(err.data.name, 'refs/heads/main')
  })

  test('HEAD can be detached, updated alone, and pointed back at a branch', async ({ s }) => {
    await s.update([{ name: r('refs/heads/main'), next: A }])
    await s.writeHead({ id: B }, { message: 'checkout: detach' })
    assert.equal(await s.readHead(), { id: B })
    assert.is(await s.read(r('HEAD')), B)
    await s.update([{ name: r('HEAD'), next: C, expect: B }])
    assert.equal(await s.readHead(), { id: C })
    assert.is(await s.read(r('refs/heads/main')), A, 'a detached HEAD moves alone')
    await s.writeHead({ symbolic: r('refs/heads/main') }, { message: 'checkout: back' })
    assert.is(await s.read(r('HEAD')), A)
    const log = await s.reflog('HEAD')
    assert.equal(log.map((e) => [e.old, e.next, e.message]), [[C, A, 'checkout: back'], [B, C, ''], [A, B, 'checkout: detach'], [null, A, '']])
    await s.writeHead({ symbolic: r('refs/heads/unborn') })
    assert.is(await s.read(r('HEAD')), undefined)
  })

  test('HEAD refuses deletion, non-branch targets, and double updates through it', async ({ s }) => {
    await s.update([{ name: r('refs/heads/main'), next: A }])
    await rejects(s.update([{ name: r('HEAD'), next: null }]), InvalidArgumentError, 'delete HEAD')
    await rejects(s.writeHead({ symbolic: r('refs/tags/v1') }), InvalidArgumentError, 'HEAD at a tag')
    await rejects(s.writeHead({ id: 'abc' as ObjectId }), InvalidArgumentError, 'HEAD at a bad id')
    await rejects(s.update([{ name: r('HEAD'), next: B }, { name: r('refs/heads/main'), next: C }]), InvalidArgumentError, 'twice via HEAD')
    await rejects(s.update([{ name: r('refs/tags/t'), next: B }, { name: r('refs/tags/t'), next: C }]), InvalidArgumentError, 'twice')
    assert.is(await s.read(r('refs/heads/main')), A)
    assert.is(await s.read(r('refs/tags/t')), undefined)
  })

  test('a ref cannot be both a file and a directory', async ({ s }) => {
    await s.update([{ name: r('refs/heads/a'), next: A }])
    const e1 = await rejects(s.update([{ name: r('refs/heads/a/b'), next: B }]), InvalidArgumentError, 'below an existing ref')
    assert.is(e1.data.conflictsWith, 'refs/heads/a')
    await s.update([{ name: r('refs/heads/c/d/e'), next: B }])
    await rejects(s.update([{ name: r('refs/heads/c'), next: A }]), InvalidArgumentError, 'above existing refs')
    await rejects(s.update([{ name: r('refs/heads/c/d'), next: A }]), InvalidArgumentError, 'between')
    await rejects(s.update([{ name: r('refs/tags/p'), next: A }, { name: r('refs/tags/p/q'), next: A }]), InvalidArgumentError, 'in one batch')
    await s.update([{ name: r('refs/heads/c/d/e'), next: null }])
    await s.update([{ name: r('refs/heads/c'), next: A, expect: null }])
    assert.equal((await collect(s)).map(([n]) => n), ['refs/heads/a', 'refs/heads/c'])
  })

  test('hostile names and bad ids are refused, and a batch holding one changes nothing', async ({ s }) => {
    const hostile = ['../x', 'refs/heads/a..b', '/etc/passwd', 'refs/heads/a\0b', 'refs/heads/' + 'x'.repeat(300), 'refs/../../x', 'refs/heads/a.lock', 'refs/heads/', 'HEAD/x']
    for (const h of hostile) {
      await rejects(s.read(r(h)), InvalidArgumentError, `read ${JSON.stringify(h)}`)
      await rejects(s.update([{ name: r(h), next: A }]), InvalidArgumentError, `update ${JSON.stringify(h)}`)
      await rejects(s.reflog(r(h)), InvalidArgumentError, `reflog ${JSON.stringify(h)}`)
    }
    await rejects(s.update([{ name: r('refs/heads/ok'), next: A }, { name: r('../escape'), next: A }]), InvalidArgumentError, 'mixed batch')
    await rejects(s.update([{ name: r('refs/heads/ok'), next: 'ABC' as ObjectId }]), InvalidArgumentError, 'bad next')
    await rejects(s.update([{ name: r('refs/heads/ok'), next: A, expect: 'zz' as ObjectId }]), InvalidArgumentError, 'bad expect')
    assert.equal(await collect(s), [])
  })

  test('an aborted signal stops every call before it starts', async ({ s }) => {
    const signal = AbortSignal.abort()
    await rejects(s.update([{ name: r('refs/heads/main'), next: A }], { signal }), AbortError, 'update')
    await rejects(s.read(r('refs/heads/main'), { signal }), AbortError, 'read')
    await rejects(s.writeHead({ id: A }, { signal }), AbortError, 'writeHead')
    await rejects(collect(s, undefined).then(() => s.reflog('HEAD', { signal })), AbortError, 'reflog')
    assert.is(await s.read(r('refs/heads/main')), undefined)
    assert.equal(await s.readHead(), { symbolic: 'refs/heads/main' })
  })

  test.run()
}
