/**
 * Golden vectors: one encoded example of every object kind. Each must encode to exactly the committed
 * bytes, hash to the committed id, and decode and re-encode byte-identically. A change here is a format
 * change (FORMAT.md, version bump). Regenerate deliberately with ANKAGIT_UPDATE_GOLDEN=1.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { hashObject, type ObjectId, type ObjectKind } from '../../../src/objects/id.js'
import { decodeFileNode, encodeFileNode } from '../../../src/objects/file-tree.js'
import { decodeVmTree, encodeVmTree } from '../../../src/objects/vm-tree.js'
import { decodeCommit, encodeCommit } from '../../../src/objects/commit.js'
import { decodeTag, encodeTag } from '../../../src/objects/tag.js'
import { FIXTURES } from '../../helpers/paths.js'

const FILE = path.join(FIXTURES, 'objects', 'golden.json')
const A = 'a'.repeat(64) as ObjectId
const B = '0123456789abcdef'.repeat(4) as ObjectId
const sig = { name: 'Ada Lovelace', email: 'ada@example.com', time: 1767225600, tzOffset: 60 }

const samples: Array<{ name: string; kind: ObjectKind; body: Buffer; roundTrip: (b: Buffer) => Buffer }> = [
  { name: 'chunk', kind: 'chunk', body: Buffer.from('hello, VM\n'), roundTrip: (b) => b },
  {
    name: 'file-leaf',
    kind: 'file',
    body: encodeFileNode({ level: 0, chunking: { kind: 'fixed', size: 65536 }, span: 65536 * 2 + 1000, entries: [{ kind: 'chunk', length: 65536, id: A }, { kind: 'hole', length: 65536 }, { kind: 'chunk', length: 1000, id: B }] }),
    roundTrip: (b) => encodeFileNode(decodeFileNode(b)),
  },
  {
    name: 'file-interior',
    kind: 'file',
    body: encodeFileNode({ level: 1, chunking: { kind: 'fastcdc', min: 16384, avg: 65536, max: 262144 }, span: 5_000_000_000, entries: [{ kind: 'node', length: 4_000_000_000, id: A }, { kind: 'node', length: 1_000_000_000, id: B }] }),
    roundTrip: (b) => encodeFileNode(decodeFileNode(b)),
  },
  {
    name: 'vm',
    kind: 'vm',
    body: encodeVmTree({ entries: [{ name: 'disk.img', type: 'file', mode: 0o644, size: 8 << 30, id: A }, { name: 'config.json', type: 'file', mode: 0o600, size: 412, id: B }, { name: 'Data', type: 'dir', mode: 0o755, size: 0, id: B }] }),
    roundTrip: (b) => encodeVmTree(decodeVmTree(b)),
  },
  {
    name: 'commit',
    kind: 'commit',
    body: encodeCommit({ tree: A, parents: [B], author: sig, committer: { ...sig, tzOffset: -300 }, suspended: { memory: 'memory.img' }, message: 'Xcode 17.1\n\nwith simulators\n' }),
    roundTrip: (b) => encodeCommit(decodeCommit(b)),
  },
  {
    name: 'tag',
    kind: 'tag',
    body: encodeTag({ object: A, type: 'commit', name: 'v14.2', tagger: sig, message: 'release\n' }),
    roundTrip: (b) => encodeTag(decodeTag(b)),
  },
]

type Golden = Record<string, { kind: ObjectKind; hex: string; id: string }>

const current: Golden = Object.fromEntries(samples.map((s) => [s.name, { kind: s.kind, hex: s.body.toString('hex'), id: hashObject(s.kind, s.body) }]))
if (process.env.ANKAGIT_UPDATE_GOLDEN === '1') fs.writeFileSync(FILE, JSON.stringify(current, null, 2) + '\n')
const golden = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Golden

test('the id is BLAKE3 of "<kind> <len>\\0" + body (independent check)', async () => {
  const { blake3 } = await import('@napi-rs/blake-hash')
  const body = Buffer.from('hello, VM\n')
  const expect = blake3(Buffer.concat([Buffer.from('chunk 10\0'), body])).toString('hex')
  assert.is(hashObject('chunk', body), expect)
  assert.is(golden.chunk!.id, expect)
})

for (const s of samples) {
  test(`${s.name}: encodes to the golden bytes and id`, () => {
    const g = golden[s.name]
    assert.ok(g, `no golden vector for ${s.name}`)
    assert.is(s.body.toString('hex'), g!.hex)
    assert.is(hashObject(s.kind, s.body), g!.id)
  })
  test(`${s.name}: decodes and re-encodes byte-identically`, () => {
    const bytes = Buffer.from(golden[s.name]!.hex, 'hex')
    assert.is(s.roundTrip(bytes).toString('hex'), bytes.toString('hex'))
  })
}

test.run()
