/**
 * Hostile bytes for the object decoders (FORMAT.md): file tree nodes, vm trees, commits and tags, on
 * arbitrary bytes and on mutations of valid encodings made by generators that cover every field
 * (decoder-property.ts states the property). Also: vm-tree entry names that try to leave the bundle are
 * refused on decode, whatever bytes carry them.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { CorruptObjectError } from '../../src/errors.js'
import { type ObjectId } from '../../src/objects/id.js'
import { type FileEntry, type FileNode, decodeFileNode, encodeFileNode } from '../../src/objects/file-tree.js'
import { type VmEntry, decodeVmTree, encodeVmTree, entryNameProblem } from '../../src/objects/vm-tree.js'
import { type Commit, decodeCommit, encodeCommit } from '../../src/objects/commit.js'
import { type Tag, decodeTag, encodeTag } from '../../src/objects/tag.js'
import { type Signature } from '../../src/objects/signature.js'
import { ByteWriter } from '../../src/objects/bytes.js'
import { fuzzDecoder } from './decoder-property.js'

const test = suite('fuzz: object decoders')

const id: fc.Arbitrary<ObjectId> = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex') as ObjectId)
const length = fc.oneof(fc.integer({ min: 1, max: 1 << 20 }), fc.integer({ min: 1, max: Math.floor(Number.MAX_SAFE_INTEGER / 2048) }))

const fileNode: fc.Arbitrary<FileNode> = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.oneof(
      fc.integer({ min: 1, max: 1 << 22 }).map((size) => ({ kind: 'fixed' as const, size })),
      fc.tuple(fc.integer({ min: 1, max: 1 << 16 }), fc.integer({ min: 0, max: 1 << 16 }), fc.integer({ min: 0, max: 1 << 20 })).map(([min, d1, d2]) => ({ kind: 'fastcdc' as const, min, avg: min + d1, max: min + d1 + d2 })),
    ),
    fc.array(fc.tuple(fc.boolean(), length, id), { maxLength: 12 }),
  )
  .map(([level, chunking, raw]) => {
    const entries: FileEntry[] = []
    for (const [hole, len, ref] of raw) {
      // Leaves may hold holes, never two in a row; interior nodes only children.
      if (level === 0 && hole && entries.at(-1)?.kind !== 'hole') entries.push({ kind: 'hole', length: len })
      else entries.push({ kind: level === 0 ? 'chunk' : 'node', length: len, id: ref })
    }
    if (level > 0 && entries.length === 0) entries.push({ kind: 'node', length: 1, id: '00'.repeat(32) as ObjectId })
    return { level, chunking, span: entries.reduce((a, e) => a + e.length, 0), entries }
  })

/** Names as a VM bundle may have them, plus the hostile ones the decoder must refuse. */
const entryName = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  fc.constantFrom('disk.img', 'config.json', 'Data', 'nvram.bin', 'a b', 'é', '.hidden', '..x', 'x..'),
)

const vmTree: fc.Arbitrary<VmEntry[]> = fc
  .uniqueArray(fc.tuple(entryName, fc.boolean(), fc.integer({ min: 0, max: 0o7777 }), fc.nat(), id), { maxLength: 8, selector: ([n]) => n })
  .map((raw) => raw.filter(([n]) => entryNameProblem(n) === undefined).map(([name, dir, mode, size, ref]) => ({ name, type: dir ? ('dir' as const) : ('file' as const), mode, size: dir ? 0 : size, id: ref })))

const person = fc.string({ maxLength: 16 }).filter((s) => !/[<>\n\0]/.test(s))
const signature: fc.Arbitrary<Signature> = fc.record({
  name: person,
  email: person,
  time: fc.integer({ min: 0, max: 2 ** 40 }),
  tzOffset: fc.integer({ min: -(14 * 60), max: 14 * 60 }),
})
const message = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('', '\n', 'x\n\ny\n', 'tree x\nparent y\n'))
const bundlePath = fc.array(entryName.filter((n) => entryNameProblem(n) === undefined), { minLength: 1, maxLength: 3 }).map((p) => p.join('/'))

const commit: fc.Arbitrary<Commit> = fc
  .record({ tree: id, parents: fc.array(id, { maxLength: 3 }), author: signature, committer: signature, message, memory: fc.option(bundlePath) })
  .map(({ memory, ...c }) => (memory === null ? c : { ...c, suspended: { memory } }))

const tag: fc.Arbitrary<Tag> = fc.record({
  object: id,
  type: fc.constantFrom('chunk', 'file', 'vm', 'commit', 'tag' as const),
  name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\s\0]/.test(s)),
  tagger: signature,
  message,
})

test('file tree nodes', () => {
  const t = fuzzDecoder('file tree node', { decode: (b) => decodeFileNode(b), encode: encodeFileNode, valid: fileNode.map(encodeFileNode) })
  assert.ok(t.accepted > 0 && t.rejected > 0)
  t.report()
})

test('vm trees', () => {
  const t = fuzzDecoder('vm tree', { decode: (b) => decodeVmTree(b), encode: encodeVmTree, valid: vmTree.map((entries) => encodeVmTree({ entries })) })
  assert.ok(t.accepted > 0 && t.rejected > 0)
  t.report()
})

test('commits', () => {
  const t = fuzzDecoder('commit', { decode: (b) => decodeCommit(b), encode: encodeCommit, valid: commit.map(encodeCommit) })
  assert.ok(t.accepted > 0 && t.rejected > 0)
  t.report()
})

test('tags', () => {
  const t = fuzzDecoder('tag', { decode: (b) => decodeTag(b), encode: encodeTag, valid: tag.map(encodeTag) })
  assert.ok(t.accepted > 0 && t.rejected > 0)
  t.report()
})

/** A vm tree with one file entry of this exact name, encoded by hand (encodeVmTree refuses bad names). */
function treeWithName(name: Uint8Array): Buffer {
  return new ByteWriter().u8(1).varint(1).u8(1).varint(0o644).varint(0).varint(name.length).bytes(name).id('ab'.repeat(32) as ObjectId).finish()
}

test('vm tree entry names that try to leave the bundle are refused on decode', () => {
  const hostile = ['..', '.', '', '../etc', 'a/b', '/etc/passwd', 'a\\b', '..\\..\\x', 'a\0b', 'nul\0', '\n', 'x\x7f', '.ankagit', 'a'.repeat(256)]
  for (const name of hostile) {
    assert.throws(() => decodeVmTree(treeWithName(Buffer.from(name))), (e: unknown) => e instanceof CorruptObjectError, `name ${JSON.stringify(name)}`)
  }
  // Invalid UTF-8 (an overlong '/', a lone continuation byte) must not decode to something else.
  for (const bytes of [[0xc0, 0xaf], [0x2e, 0x80], [0xed, 0xa0, 0x80]]) {
    assert.throws(() => decodeVmTree(treeWithName(Buffer.from(bytes))), (e: unknown) => e instanceof CorruptObjectError, `bytes ${bytes}`)
  }
  let tried = hostile.length + 3
  // Any name the decoder accepts is a single safe path component.
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (name) => {
      tried++
      let entries: VmEntry[]
      try {
        entries = decodeVmTree(treeWithName(name)).entries
      } catch (e) {
        if (e instanceof CorruptObjectError) return
        throw e
      }
      const n = entries[0]!.name
      assert.ok(n !== '.' && n !== '..' && n !== '.ankagit' && !/[/\\\0]/.test(n) && Buffer.from(n).equals(Buffer.from(name)), `accepted ${JSON.stringify(n)}`)
    }),
    { numRuns: 5000, seed: 5 },
  )
  console.log(`fuzz figures: vm tree entry names: ${tried} hostile or random names`)
})

test.run()
