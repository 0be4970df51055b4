/**
 * The Backend conformance suite: every Backend implementation runs these same cases
 * (restic backend/test.Suite). Call backendSuite(name, make) from a test file.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Backend } from '../../src/store/backend.js'
import { NotFoundError } from '../../src/errors.js'

export function backendSuite(name: string, make: () => Promise<Backend>, cleanup: (b: Backend) => Promise<void> = async () => {}): void {
  const test = suite<{ b: Backend }>(`Backend conformance: ${name}`, { b: undefined as unknown as Backend })
  test.before.each(async (ctx) => { ctx.b = await make() })
  test.after.each(async (ctx) => { await cleanup(ctx.b) })

  test('save then load returns the same bytes', async ({ b }) => {
    await b.save('packs/aa.pack', Buffer.from('hello world'))
    assert.equal((await b.load('packs/aa.pack')).toString(), 'hello world')
  })

  test('save accepts a list of parts', async ({ b }) => {
    await b.save('x/y', [Buffer.from('ab'), Buffer.from('cd'), new Uint8Array(0)])
    assert.equal((await b.load('x/y')).toString(), 'abcd')
  })

  test('ranges are honoured and clipped', async ({ b }) => {
    await b.save('k', Buffer.from('0123456789'))
    assert.equal((await b.load('k', { offset: 2, length: 3 })).toString(), '234')
    assert.equal((await b.load('k', { offset: 8, length: 10 })).toString(), '89')
    assert.equal((await b.load('k', { offset: 4 })).toString(), '456789')
  })

  test('overwriting with identical bytes succeeds', async ({ b }) => {
    await b.save('k', Buffer.from('same'))
    await b.save('k', Buffer.from('same'))
    assert.equal((await b.load('k')).toString(), 'same')
  })

  test('missing key: load throws NotFoundError, stat is undefined, remove is fine', async ({ b }) => {
    try {
      await b.load('nope')
      assert.unreachable('load of a missing key must throw')
    } catch (err) {
      assert.instance(err, NotFoundError)
    }
    assert.is(await b.stat('nope'), undefined)
    await b.remove('nope')
  })

  test('stat reports size and a recent time', async ({ b }) => {
    await b.save('s', Buffer.alloc(1234, 1))
    const st = await b.stat('s')
    assert.ok(st)
    assert.is(st!.size, 1234)
    assert.ok(Math.abs(Date.now() - st!.mtimeMs) < 600_000)
  })

  test('list yields each key under a prefix exactly once', async ({ b }) => {
    const keys = ['packs/a.pack', 'packs/a.idx', 'packs/b.pack', 'other/c', 'packsx/d']
    for (const k of keys) await b.save(k, Buffer.from(k))
    const got: string[] = []
    for await (const k of b.list('packs/')) got.push(k)
    assert.equal(got.sort(), ['packs/a.idx', 'packs/a.pack', 'packs/b.pack'])
    const all: string[] = []
    for await (const k of b.list('')) all.push(k)
    assert.equal(all.sort(), [...keys].sort())
  })

  test('remove deletes', async ({ b }) => {
    await b.save('r', Buffer.from('x'))
    await b.remove('r')
    assert.is(await b.stat('r'), undefined)
  })

  test('concurrent saves of one key with the same bytes all succeed', async ({ b }) => {
    const body = Buffer.alloc(100_000, 7)
    await Promise.all(Array.from({ length: 8 }, () => b.save('c/k', body)))
    assert.ok((await b.load('c/k')).equals(body))
  })

  test('hostile keys are refused', async ({ b }) => {
    for (const k of ['../x', '/abs', 'a//b', 'a/../b', 'A', 'a\0b', '']) {
      try {
        await b.save(k, Buffer.from('x'))
        assert.unreachable(`key '${k}' must be refused`)
      } catch (err) {
        assert.is((err as { code?: string }).code, 'EINVALID')
      }
    }
  })

  test('an aborted signal stops the call', async ({ b }) => {
    const ac = new AbortController()
    ac.abort()
    try {
      await b.save('a', Buffer.from('x'), { signal: ac.signal })
      assert.unreachable('must throw')
    } catch (err) {
      assert.is((err as { code?: string }).code, 'EABORT')
    }
  })

  test.run()
}
