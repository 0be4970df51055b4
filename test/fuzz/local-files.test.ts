/**
 * Hostile bytes in the repository's own files: the stat-cache index, reflogs and lock files, and
 * hostile ref names. These are local files, so the threats are a damaged disk, a crash mid-write, a
 * hand edit and a name typed by a user or sent by a peer. What must hold:
 *  - index: whatever the file holds, readIndex returns entries commit can use without a TypeError,
 *    and an entry that can pass for clean names a valid object id (or the file is ignored);
 *  - reflog: lines decode to entries that encode back to the same text, or the log is refused with an
 *    AnkagitError (a torn last line, what a crash leaves, is skipped);
 *  - lock file: any text parses to an owner that encodes and parses back the same, or to "unknown
 *    owner" (never broken as stale), and judging its owner never throws;
 *  - ref names: a name the checks accept maps to a path inside the refs folder, always.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { AnkagitError, InvalidArgumentError } from '../../src/errors.js'
import type { ObjectId } from '../../src/objects/id.js'
import { isObjectId } from '../../src/objects/id.js'
import { type WorktreeIndex, INDEX_FILE, isClean, readIndex, writeIndex } from '../../src/worktree/index-file.js'
import { encodeReflogEntry, parseReflog } from '../../src/refs/reflog.js'
import type { ReflogEntry } from '../../src/refs/ref-store.js'
import { encodeLockOwner, isLockOwnerDead, parseLockOwner } from '../../src/refs/lock-owner.js'
import { checkBranchName, refNameProblem } from '../../src/refs/ref-name.js'
import { FileRefStore } from '../../src/refs/file-ref-store.js'
import { tmpDir } from '../helpers/tmp.js'
import { DecoderTally, checkDecoder, mutated, runs, seed } from './decoder-property.js'

const test = suite('fuzz: index, reflogs, lock files, ref names')
const dir = tmpDir('ankagit-fuzz-local-')
const gitdir = path.join(dir, '.ankagit')
fs.mkdirSync(gitdir)

const id: fc.Arbitrary<ObjectId> = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex') as ObjectId)
const decimal = fc.bigInt({ min: 0n, max: 1n << 62n }).map(String)

const worktreeIndex: fc.Arbitrary<WorktreeIndex> = fc.record({
  version: fc.constant(1 as const),
  tree: fc.option(id),
  head: fc.option(id),
  scannedNs: decimal,
  files: fc.dictionary(
    fc.constantFrom('disk.img', 'config.json', 'Data/nvram.bin', 'memory.img'),
    fc.record({ size: fc.nat(), mtimeNs: decimal, ctimeNs: decimal, ino: decimal, mode: fc.nat({ max: 0o177777 }), id }),
  ),
})

function indexBytes(idx: WorktreeIndex): Buffer {
  writeIndex(gitdir, idx)
  return fs.readFileSync(path.join(gitdir, INDEX_FILE))
}

/** Reads bytes as the index file and uses every entry the way snapshotWorktree does. */
function readAndUseIndex(bytes: Uint8Array): WorktreeIndex {
  fs.writeFileSync(path.join(gitdir, INDEX_FILE), bytes)
  const idx = readIndex(gitdir)
  for (const e of Object.values(idx.files)) {
    // The stat of a file that matches the entry exactly: the case where the cached id is used unread.
    const key = { size: e.size, mtimeNs: e.mtimeNs, ctimeNs: e.ctimeNs, ino: e.ino, mode: e.mode }
    if (isClean(e, key, idx.scannedNs) && !isObjectId(e.id)) throw new Error(`index entry with id ${JSON.stringify(e.id)} can pass for clean`)
  }
  return idx
}

test('the stat-cache index: damaged files are ignored or usable, never a TypeError later', () => {
  const t = new DecoderTally('worktree index')
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => checkDecoder(t, b, readAndUseIndex)), { numRuns: runs(), seed: seed() })
  fc.assert(fc.property(mutated(worktreeIndex.map(indexBytes)), (b) => checkDecoder(t, b, readAndUseIndex)), { numRuns: runs(), seed: seed() + 1 })
  // A valid index reads back as written.
  fc.assert(fc.property(worktreeIndex, (idx) => {
    assert.is(JSON.stringify(readAndUseIndex(indexBytes(idx))), JSON.stringify(idx))
  }), { numRuns: runs() / 10, seed: seed() + 2 })
  t.report()
})

const line = fc.string({ maxLength: 30 }).filter((s) => !/[\x00-\x1f\x7f]/.test(s))
const reflogEntry: fc.Arbitrary<ReflogEntry> = fc.record({
  old: fc.option(id),
  next: fc.option(id),
  who: line,
  time: fc.integer({ min: 0, max: 2 ** 45 }),
  message: fc.oneof(line, fc.constantFrom('', 'commit: x', 'checkout: moving to main', 'a\tb')),
})

function encodeReflog(entries: readonly ReflogEntry[]): string {
  return [...entries].reverse().map(encodeReflogEntry).join('')
}

test('reflogs', () => {
  const t = new DecoderTally('reflog')
  const decode = (b: Uint8Array) => parseReflog(Buffer.from(b).toString('latin1'), 'refs/heads/main')
  // A torn last line is skipped by design: compare up to the last newline.
  const encode = (entries: ReflogEntry[]) => Buffer.from(encodeReflog(entries), 'latin1')
  const whole = (b: Uint8Array) => b.subarray(0, b.lastIndexOf(0x0a) + 1)
  const check = (b: Uint8Array) => checkDecoder(t, whole(b), decode, encode)
  const valid = fc.array(reflogEntry, { maxLength: 5 }).map((es) => Buffer.from(encodeReflog(es), 'latin1'))
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), check), { numRuns: runs(), seed: seed() })
  fc.assert(fc.property(mutated(valid), check), { numRuns: runs(), seed: seed() + 1 })
  fc.assert(fc.property(valid, fc.nat(), (b, cut) => {
    // A crash mid-append leaves a torn last line: the entries before it still read.
    const torn = b.subarray(0, b.length === 0 ? 0 : cut % b.length)
    assert.ok(Array.isArray(decode(torn)))
  }), { numRuns: runs() / 10, seed: seed() + 2 })
  assert.ok(t.accepted > 0 && t.rejected > 0)
  t.report()
})

test('lock files: any text is an owner that round-trips, or an unknown owner never judged dead', () => {
  const t = new DecoderTally('lock file')
  const owner = fc.record({
    pid: fc.integer({ min: 1, max: 2 ** 31 }),
    host: fc.stringMatching(/^[a-z0-9.-]{1,20}$/),
    boot: fc.option(fc.uuid()),
    pidns: fc.option(fc.stringMatching(/^pid:\[\d{1,10}\]$/)),
    start: fc.option(decimal),
    nonce: fc.stringMatching(/^[0-9a-f]{24}$/),
  })
  const decode = (b: Uint8Array) => {
    const o = parseLockOwner(Buffer.from(b).toString('utf8'))
    // Counted as refused: the lock is then held by an unknown owner and never broken.
    if (o === undefined) throw new AnkagitError('ECORRUPT', 'not a lock record')
    const again = parseLockOwner(encodeLockOwner(o))
    if (JSON.stringify(again) !== JSON.stringify(o)) throw new Error(`lock owner ${JSON.stringify(o)} does not encode and parse back the same`)
    isLockOwnerDead(o) // must not throw, whatever the fields say
    return o
  }
  const check = (b: Uint8Array) => checkDecoder(t, b, decode)
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: runs(), seed: seed() })
  fc.assert(fc.property(mutated(owner.map((o) => Buffer.from(encodeLockOwner(o)))), check), { numRuns: runs(), seed: seed() + 1 })
  fc.assert(fc.property(owner, (o) => {
    assert.equal(parseLockOwner(encodeLockOwner(o)), { ...o })
  }), { numRuns: runs() / 10, seed: seed() + 2 })
  t.report()
})

const TRAVERSALS = [
  '..', '../x', 'refs/../HEAD', 'refs/heads/../../config', 'refs/heads/..', 'refs/heads/.', 'refs/heads/./x', '/refs/heads/x', '/etc/passwd',
  'refs//heads', 'refs/heads/', 'refs\\heads\\x', 'refs/heads/a\0b', 'refs/heads/a\nb', 'refs/heads/x.lock', 'refs/heads/.hidden',
  'refs/heads/' + 'a'.repeat(300), 'refs/heads/é', 'refs/heads/@', 'refs/heads/a@{1}', 'refs/heads/~1', 'refs/heads/a b', 'refs/heads/a:b',
]

test('ref names: hostile names are refused, and every accepted name stays inside the refs folder', async () => {
  let tried = 0
  for (const name of TRAVERSALS) {
    tried++
    assert.ok(refNameProblem(name) !== undefined, `accepted ${JSON.stringify(name)}`)
  }
  for (const short of ['..', '../../x', '-x', 'HEAD', 'a/../b', '', 'a..b']) {
    tried++
    assert.throws(() => checkBranchName(short), (e: unknown) => e instanceof InvalidArgumentError, short)
  }
  const refs = path.join(dir, 'refsroot')
  const hostileChars = fc.string({ unit: fc.constantFrom('a', 'b', '.', '/', '\\', '\0', ' ', '@', '{', '~', 'é', '\n', '*', ':', 'l', 'o', 'c', 'k'), maxLength: 24 })
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 40 }), hostileChars.map((s) => `refs/${s}`), hostileChars), (name) => {
    tried++
    if (refNameProblem(name) !== undefined) return
    const file = path.join(refs, ...name.split('/'))
    assert.ok(file.startsWith(refs + path.sep), `${JSON.stringify(name)} maps outside: ${file}`)
    assert.ok(name.split('/').every((p) => p !== '' && p !== '.' && p !== '..' && !p.startsWith('.')), JSON.stringify(name))
  }), { numRuns: runs() * 3, seed: seed() })
  // Through a real ref store: refused before any file is made, nothing written outside.
  const store = new FileRefStore(path.join(dir, 'store'))
  fs.mkdirSync(path.join(dir, 'store'))
  for (const name of TRAVERSALS) {
    tried++
    await store.update([{ name: name as never, next: 'ab'.repeat(32) as ObjectId }]).then(
      () => assert.unreachable(`update of ${JSON.stringify(name)} succeeded`),
      (e: unknown) => assert.ok(e instanceof AnkagitError && e.code === 'EINVALID', `${JSON.stringify(name)}: ${e}`),
    )
  }
  assert.equal(fs.readdirSync(path.join(dir, 'store')), [], 'nothing was written')
  assert.equal(fs.readdirSync(dir).sort(), ['.ankagit', 'refsroot', 'store'].filter((d) => d !== 'refsroot'))
  console.log(`fuzz figures: ref names: ${tried} hostile or random names`)
})

test.run()
