import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as m from '../../../src/transport/messages.js'
import { hashObject } from '../../../src/objects/id.js'
import { InvalidArgumentError, ProtocolError } from '../../../src/errors.js'
import type { RefName } from '../../../src/refs/ref-name.js'

const test = suite('messages')
const A = hashObject('commit', Buffer.from('a'))
const B = hashObject('commit', Buffer.from('b'))

/** Encode, send as bytes, parse, decode: what a peer sees. */
function wire(v: Record<string, unknown>): Record<string, unknown> {
  return m.parseJsonBody(m.encodeJson(v), 'test message')
}

function refused(fn: () => unknown, cls: Function, match: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof cls && match.test((e as Error).message))
}

const ad: m.Advertisement = {
  repository: 'vm',
  head: 'refs/heads/main' as RefName,
  refs: [['refs/heads/main' as RefName, A], ['refs/tags/v1' as RefName, B]],
  capabilities: ['fetch', 'push'],
  limits: { idsPerRequest: 262144, frameRawMax: 16 << 20, objectsPerFrame: 65536, streams: 4 },
}

test('advertisement round-trips, with its protocol name', () => {
  const v = wire(m.encodeAdvertisement(ad))
  assert.is(v.protocol, 'ankagit/1')
  assert.equal(m.decodeAdvertisement(v), ad)
})

test('advertisement from another protocol version or with hostile names is refused', () => {
  refused(() => m.decodeAdvertisement({ ...m.encodeAdvertisement(ad), protocol: 'ankagit/2' }), ProtocolError, /speaks 'ankagit\/2'/)
  refused(() => m.decodeAdvertisement({ ...m.encodeAdvertisement(ad), refs: { 'refs/heads/../../etc': A } }), ProtocolError, /invalid ref name/)
  refused(() => m.decodeAdvertisement({ ...m.encodeAdvertisement(ad), refs: { HEAD: A } }), ProtocolError, /not under refs/)
  refused(() => m.decodeAdvertisement({ ...m.encodeAdvertisement(ad), head: 'refs/tags/v1' }), ProtocolError, /not a branch/)
  refused(() => m.decodeAdvertisement({ ...m.encodeAdvertisement(ad), refs: { 'refs/heads/x': 'abc' } }), ProtocolError, /not an object id/)
})

test('negotiate request round-trips and is bounded', () => {
  assert.equal(m.decodeNegotiateRequest(wire(m.encodeNegotiateRequest({ wants: [A], haves: [B] }))), { wants: [A], haves: [B] })
  refused(() => m.decodeNegotiateRequest({ wants: [], haves: [] }), ProtocolError, /no wants/)
  refused(() => m.decodeNegotiateRequest({ wants: [A], haves: Array(1025).fill(B) }), ProtocolError, /more than 1024/)
  refused(() => m.decodeNegotiateRequest({ wants: 'x', haves: [] }), ProtocolError, /must be a list/)
  assert.equal(m.decodeNegotiateHeader(wire(m.encodeNegotiateHeader({ common: [B] }))), { common: [B] })
})

test('ref updates round-trip; bad names are invalid arguments, duplicates and HEAD refused', () => {
  const updates: m.WireRefUpdate[] = [
    { name: 'refs/heads/main' as RefName, old: A, new: B, force: false },
    { name: 'refs/tags/v2' as RefName, old: null, new: A, force: true },
    { name: 'refs/heads/gone' as RefName, old: B, new: null, force: false },
  ]
  assert.equal(m.decodeRefUpdates(wire(m.encodeRefUpdates(updates))), updates)
  refused(() => m.decodeRefUpdates({ updates: [{ name: 'refs/heads/a..b', old: null, new: A }] }), InvalidArgumentError, /invalid ref name 'refs\/heads\/a\.\.b'/)
  refused(() => m.decodeRefUpdates({ updates: [{ name: 'HEAD', old: null, new: A }] }), InvalidArgumentError, /'HEAD' cannot be pushed/)
  refused(() => m.decodeRefUpdates({ updates: [updates[0], updates[0]] }), InvalidArgumentError, /twice/)
  refused(() => m.decodeRefUpdates({ updates: [{ ...updates[0], force: 'yes' }] }), ProtocolError, /'force'/)
  refused(() => m.decodeRefUpdates({ updates: [] }), ProtocolError, /no updates/)
})

test('results and counts decode strictly', () => {
  assert.equal(m.decodeUploadResult({ frames: 1, objects: 2, stored: 2, bytes: 100 }), { frames: 1, objects: 2, stored: 2, bytes: 100 })
  refused(() => m.decodeUploadResult({ frames: -1, objects: 2, stored: 2, bytes: 100 }), ProtocolError, /'frames'/)
  assert.equal(m.decodeRefUpdateResult({ refs: { 'refs/heads/main': A, 'refs/heads/x': null } }), { refs: { 'refs/heads/main': A, 'refs/heads/x': null } })
})

test('bodies that are not JSON objects are protocol errors', () => {
  refused(() => m.parseJsonBody(Buffer.from('{'), 'x'), ProtocolError, /not valid JSON/)
  refused(() => m.parseJsonBody(Buffer.from('[1]'), 'x'), ProtocolError, /not a JSON object/)
  refused(() => m.parseJsonBody(Buffer.from([0x7b, 0x22, 0xe3, 0x22, 0x3a, 0x31, 0x7d]), 'x'), ProtocolError, /not valid JSON/) // {"\xe3":1}: not UTF-8
})

test('values that cannot be printed with String() are refused as protocol errors, not TypeErrors (found by fuzz/protocol)', () => {
  const hostile = wire({ protocol: 'ankagit/1', repository: 'vm', head: null, refs: { 'refs/heads/main': { toString: 0 } }, capabilities: [], limits: {} })
  refused(() => m.decodeAdvertisement(hostile), ProtocolError, /'\{"toString":0\}' is not an object id/)
  refused(() => m.decodeAdvertisement(wire({ protocol: { toString: 0 } })), ProtocolError, /speaks '\{"toString":0\}'/)
})

test.run()
