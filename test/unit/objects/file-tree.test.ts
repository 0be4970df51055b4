import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { FANOUT_MAX, FileTreeBuilder, decodeFileNode, encodeFileNode, closesNode } from '../../../src/objects/file-tree.js'
import { type ObjectId, hashObject } from '../../../src/objects/id.js'

const fixed = { kind: 'fixed', size: 65536 } as const

function chunkId(i: number): ObjectId {
  return hashObject('chunk', Buffer.from(`chunk ${i}`))
}

/** Builds a tree from a list of ('h' | chunk index) entries; returns root id and every node written. */
function build(entries: Array<number | 'h'>): { id: ObjectId; nodes: Map<string, Buffer> } {
  const nodes = new Map<string, Buffer>()
  const b = new FileTreeBuilder(fixed, (body) => {
    const id = hashObject('file', body)
    nodes.set(id, body)
    return id
  })
  for (const e of entries) e === 'h' ? b.hole(65536) : b.chunk(65536, chunkId(e))
  return { id: b.finish().id, nodes }
}

test('an empty file is one empty leaf', () => {
  const { id, nodes } = build([])
  assert.is(nodes.size, 1)
  const n = decodeFileNode(nodes.get(id)!)
  assert.equal([n.level, n.span, n.entries.length], [0, 0, 0])
})

test('adjacent holes merge, span adds up', () => {
  const { id, nodes } = build([1, 'h', 'h', 'h', 2])
  const n = decodeFileNode(nodes.get(id)!)
  assert.equal(n.entries.map((e) => e.kind), ['chunk', 'hole', 'chunk'])
  assert.is(n.entries[1]!.length, 3 * 65536)
  assert.is(n.span, 5 * 65536)
})

test('same extents give the same root; the shape is canonical', () => {
  const list = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? 'h' : i)) as Array<number | 'h'>
  assert.is(build(list).id, build([...list]).id)
})

test('a large file becomes a multi-level tree and every node respects the fanout', () => {
  const { id, nodes } = build(Array.from({ length: 20000 }, (_, i) => i))
  const root = decodeFileNode(nodes.get(id)!)
  assert.ok(root.level >= 1)
  assert.is(root.span, 20000 * 65536)
  for (const body of nodes.values()) assert.ok(decodeFileNode(body).entries.length <= FANOUT_MAX)
})

test('one changed chunk in the middle rewrites one leaf and its path, not the file', () => {
  const list = Array.from({ length: 20000 }, (_, i) => i)
  const a = build(list)
  const changed = [...list]
  changed[10000] = 999999
  const b = build(changed)
  const fresh = [...b.nodes.keys()].filter((k) => !a.nodes.has(k))
  assert.ok(fresh.length <= 4, `expected a few new nodes, got ${fresh.length}`)
  assert.is.not(a.id, b.id)
})

test('node boundaries follow the id rule', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => chunkId(i))
  const closing = ids.filter(closesNode).length
  assert.ok(closing > 5 && closing < 50, `~1/256 of ids close a node, got ${closing}`)
})

test('corrupt nodes are refused', () => {
  const good = encodeFileNode({ level: 0, chunking: fixed, span: 100, entries: [{ kind: 'chunk', length: 100, id: chunkId(1) }] })
  const cases: Array<[string, Buffer]> = [
    ['truncated', good.subarray(0, good.length - 1)],
    ['trailing', Buffer.concat([good, Buffer.from([0])])],
    ['bad version', Buffer.concat([Buffer.from([9]), good.subarray(1)])],
    ['span mismatch', encodeFileNode({ level: 0, chunking: fixed, span: 101, entries: [{ kind: 'chunk', length: 100, id: chunkId(1) }] })],
    ['adjacent holes', encodeFileNode({ level: 0, chunking: fixed, span: 2, entries: [{ kind: 'hole', length: 1 }, { kind: 'hole', length: 1 }] })],
    ['hole in interior', encodeFileNode({ level: 1, chunking: fixed, span: 1, entries: [{ kind: 'hole', length: 1 }] })],
  ]
  for (const [what, body] of cases) {
    assert.throws(() => decodeFileNode(body), (e: Error) => (e as { code?: string }).code === 'ECORRUPT', what)
  }
})

test.run()
