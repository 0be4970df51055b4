import { createHash } from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { AbortError, InvalidArgumentError, NotFoundError } from '../../../src/errors.js'
import type { ObjectId } from '../../../src/objects/id.js'
import { MemoryRefStore } from '../../../src/refs/memory-ref-store.js'
import type { RefName } from '../../../src/refs/ref-name.js'
import { type RevisionContext, resolveRevision } from '../../../src/refs/revision.js'

const id = (label: string): ObjectId => createHash('sha256').update(label).digest('hex') as ObjectId
const withPrefix = (prefix: string, label: string): ObjectId => (prefix + id(label).slice(prefix.length)) as ObjectId
const r = (s: string): RefName => s as RefName

/**
 * Test double: an object graph held in maps instead of an object store. Commits know their
 * parents, annotated tags their target; anything else is a stored non-commit object.
 */
class ObjectGraphDouble implements RevisionContext {
  readonly commits = new Map<ObjectId, ObjectId[]>()
  readonly tags = new Map<ObjectId, ObjectId>()
  readonly others = new Set<ObjectId>()
  constructor(readonly refs: MemoryRefStore) {}

  async expandPrefix(prefix: string): Promise<ObjectId[]> {
    assert.ok(prefix.length >= 4 && /^[0-9a-f]+$/.test(prefix), `expandPrefix called with '${prefix}'`)
    return [...this.commits.keys(), ...this.tags.keys(), ...this.others].filter((x) => x.startsWith(prefix))
  }

  async parents(x: ObjectId): Promise<ObjectId[]> {
    const p = this.commits.get(x)
    if (p) return p
    if (this.tags.has(x) || this.others.has(x)) throw new InvalidArgumentError(`object '${x.slice(0, 8)}' is not a commit`)
    throw new NotFoundError(`object '${x.slice(0, 8)}' not found`)
  }

  async peel(x: ObjectId): Promise<ObjectId> {
    let cur = x
    while (this.tags.has(cur)) cur = this.tags.get(cur)!
    return cur
  }
}

// c1 <- c2 <- c3 <- m (merge of c3 and s1);  c2 <- s1;  t1 = annotated tag of m
const c1 = id('c1'), c2 = id('c2'), c3 = id('c3'), s1 = id('s1'), m = id('m'), t1 = id('t1'), blob = id('blob')
const amb1 = withPrefix('abcd1', 'x'), amb2 = withPrefix('abcd2', 'y'), cafe = withPrefix('cafe', 'z')

async function makeGraph(): Promise<ObjectGraphDouble> {
  const g = new ObjectGraphDouble(new MemoryRefStore({ who: 't@t', now: () => 0 }))
  g.commits.set(c1, []).set(c2, [c1]).set(c3, [c2]).set(s1, [c2]).set(m, [c3, s1]).set(amb1, []).set(amb2, []).set(cafe, [])
  g.tags.set(t1, m)
  g.others.add(blob)
  await g.refs.update([
    { name: r('refs/heads/main'), next: m },
    { name: r('refs/tags/v1'), next: t1 },
    { name: r('refs/tags/light'), next: c2 },
    { name: r('refs/remotes/origin/main'), next: c3 },
    { name: r('refs/remotes/origin/HEAD'), next: c1 },
    { name: r('refs/heads/dup'), next: c1 },
    { name: r('refs/tags/dup'), next: c3 },
    { name: r('refs/heads/cafe'), next: s1 },
    { name: r('refs/tags/blobtag'), next: blob },
  ])
  return g
}

const test = suite('revision')

test('names resolve in git order, bare names unpeeled', async () => {
  const g = await makeGraph()
  const cases: [string, ObjectId][] = [
    ['HEAD', m], ['@', m], ['main', m], ['refs/heads/main', m], ['heads/main', m],
    ['v1', t1], ['light', c2], ['origin/main', c3], ['origin', c1], ['dup', c3], ['heads/dup', c1],
  ]
  for (const [rev, want] of cases) assert.is(await resolveRevision(g, rev), want, rev)
})

test('suffixes ^, ^N, ~, ~N chain, peeling tags first', async () => {
  const g = await makeGraph()
  const cases: [string, ObjectId][] = [
    ['main^', c3], ['main^1', c3], ['main^2', s1], ['main~', c3], ['main~3', c1], ['main^2~1', c2],
    ['HEAD^^', c2], ['@~2', c2], ['v1^0', m], ['v1~1', c3], ['v1^2~1', c2], ['main~0', m], ['main^0', m], ['v1^2^', c2],
  ]
  for (const [rev, want] of cases) assert.is(await resolveRevision(g, rev), want, rev)
})

test('ids: full, upper case, unique prefix; refs win over a prefix', async () => {
  const g = await makeGraph()
  assert.is(await resolveRevision(g, c3), c3)
  assert.is(await resolveRevision(g, c3.toUpperCase()), c3)
  assert.is(await resolveRevision(g, s1.slice(0, 7)), s1)
  assert.is(await resolveRevision(g, `${m.slice(0, 10)}~2`), c2)
  assert.is(await resolveRevision(g, 'cafe'), s1, "branch 'cafe' wins over an object starting with cafe")
  assert.is(await resolveRevision(g, 'abcd1'), amb1)
})

test('an ambiguous prefix lists its candidates', async () => {
  const g = await makeGraph()
  try {
    await resolveRevision(g, 'abcd')
    assert.unreachable('ambiguous prefix must throw')
  } catch (err) {
    assert.instance(err, InvalidArgumentError)
    assert.match((err as Error).message, "short object id 'abcd' is ambiguous: ")
    assert.equal((err as InvalidArgumentError).data.candidates, [amb1, amb2].sort())
  }
})

test('unknown names and walks past the root are NotFoundError', async () => {
  const g = await makeGraph()
  const cases: [string, string][] = [
    ['nope', "unknown revision 'nope'"],
    ['abc', "unknown revision 'abc'"],
    ['0000', "unknown revision '0000'"],
    ['main~4', "unknown revision 'main~4': commit "],
    ['main^3', 'has 2 parents'],
    ['light^2', 'has 1 parent'],
    ['../etc', "unknown revision '../etc'"],
    ['main@{1}^', "unknown revision 'main@{1}^'"],
  ]
  for (const [rev, message] of cases) {
    try {
      await resolveRevision(g, rev)
      assert.unreachable(`${rev} must not resolve`)
    } catch (err) {
      assert.instance(err, NotFoundError, rev)
      assert.match((err as Error).message, message, rev)
    }
  }
})

test('malformed revisions are InvalidArgumentError', async () => {
  const g = await makeGraph()
  for (const rev of ['', '^1', '~', 'main^{commit}', 'main~x', 'main^-1']) {
    try {
      await resolveRevision(g, rev)
      assert.unreachable(`${JSON.stringify(rev)} must not resolve`)
    } catch (err) {
      assert.instance(err, InvalidArgumentError, rev)
    }
  }
})

test('suffixes on a non-commit fail through the context', async () => {
  const g = await makeGraph()
  assert.is(await resolveRevision(g, 'blobtag'), blob)
  try {
    await resolveRevision(g, 'blobtag^0')
    assert.unreachable('^0 of a non-commit must throw')
  } catch (err) {
    assert.instance(err, InvalidArgumentError)
  }
})

test('HEAD: unborn is unknown, detached resolves to its id', async () => {
  const g = new ObjectGraphDouble(new MemoryRefStore())
  g.commits.set(c1, [])
  try {
    await resolveRevision(g, 'HEAD')
    assert.unreachable('unborn HEAD must not resolve')
  } catch (err) {
    assert.instance(err, NotFoundError)
  }
  await g.refs.writeHead({ id: c1 })
  assert.is(await resolveRevision(g, '@'), c1)
})

test('an aborted signal stops resolution', async () => {
  const g = await makeGraph()
  try {
    await resolveRevision(g, 'main~2', { signal: AbortSignal.abort() })
    assert.unreachable('aborted')
  } catch (err) {
    assert.instance(err, AbortError)
  }
})

test.run()
