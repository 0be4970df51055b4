import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { decodeVmTree, encodeVmTree, entryNameProblem } from '../../../src/objects/vm-tree.js'
import { decodeCommit, encodeCommit } from '../../../src/objects/commit.js'
import { ByteWriter } from '../../../src/objects/bytes.js'
import type { ObjectId } from '../../../src/objects/id.js'

const A = 'b'.repeat(64) as ObjectId

test('entries are sorted by name bytes and round-trip', () => {
  const t = { entries: [{ name: 'nvram.bin', type: 'file' as const, mode: 0o644, size: 3, id: A }, { name: 'Disk.img', type: 'file' as const, mode: 0o600, size: 9, id: A }] }
  const back = decodeVmTree(encodeVmTree(t))
  assert.equal(back.entries.map((e) => e.name), ['Disk.img', 'nvram.bin'])
  assert.equal(back.entries[0], { name: 'Disk.img', type: 'file', mode: 0o600, size: 9, id: A })
})

test('hostile names are refused on encode', () => {
  for (const name of ['', '.', '..', 'a/b', '..\\x', 'a\0b', '.ankagit', 'x'.repeat(256), 'tab\there']) {
    assert.ok(entryNameProblem(name), `'${name}' must be refused`)
    assert.throws(() => encodeVmTree({ entries: [{ name, type: 'file', mode: 0o644, size: 0, id: A }] }))
  }
})

test('hostile names are refused on decode (a received tree cannot escape the bundle)', () => {
  for (const name of ['..', 'a/b', '/etc']) {
    const n = Buffer.from(name)
    const body = new ByteWriter().u8(1).varint(1).u8(1).varint(0o644).varint(0).varint(n.length).bytes(n).bytes(Buffer.alloc(32)).finish()
    assert.throws(() => decodeVmTree(body), (e: Error) => (e as { code?: string }).code === 'ECORRUPT')
  }
})

test('unsorted or duplicate entries are corrupt', () => {
  const entry = (name: string) => {
    const n = Buffer.from(name)
    return new ByteWriter().u8(1).varint(0o644).varint(0).varint(n.length).bytes(n).bytes(Buffer.alloc(32)).finish()
  }
  for (const pair of [['b', 'a'], ['a', 'a']]) {
    const body = Buffer.concat([Buffer.from([1, 2]), entry(pair[0]!), entry(pair[1]!)])
    assert.throws(() => decodeVmTree(body))
  }
})

test('commit headers: order, suspended line, and bad input', () => {
  const sig = { name: 'A', email: 'a@b', time: 1, tzOffset: 0 }
  const c = { tree: A, parents: [A, A], author: sig, committer: sig, suspended: { memory: 'memory.img' }, message: 'x\n' }
  assert.equal(decodeCommit(encodeCommit(c)), c)
  const bad = ['tree zz\n\nm', `parent ${A}\ntree ${A}\n\nm`, `tree ${A}\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\nsuspended ../x\n\nm`, `tree ${A}`]
  for (const text of bad) assert.throws(() => decodeCommit(Buffer.from(text)), (e: Error) => (e as { code?: string }).code === 'ECORRUPT', text)
})

test.run()
