/**
 * Object ids: BLAKE3-256 over "<kind> <length>\0" followed by the object's uncompressed body,
 * written as 64 lowercase hex digits. See FORMAT.md § Ids.
 */
import { blake3 } from './blake3.js'
import { InvalidArgumentError } from '../errors.js'

export type ObjectKind = 'chunk' | 'file' | 'vm' | 'commit' | 'tag'
export const OBJECT_KINDS: readonly ObjectKind[] = ['chunk', 'file', 'vm', 'commit', 'tag']

/** A 64-digit lowercase hex BLAKE3-256 id. Branded so a plain string cannot pass for one unchecked. */
export type ObjectId = string & { readonly __objectId: unique symbol }

export const ID_BYTES = 32
const ID_RE = /^[0-9a-f]{64}$/

export function isObjectId(s: string): s is ObjectId {
  return ID_RE.test(s)
}

export function parseObjectId(s: string): ObjectId {
  if (!isObjectId(s)) throw new InvalidArgumentError(`'${s}' is not an object id`)
  return s
}

export function idFromBytes(b: Uint8Array): ObjectId {
  return Buffer.from(b.buffer, b.byteOffset, ID_BYTES).toString('hex') as ObjectId
}

export function idToBytes(id: ObjectId): Buffer {
  return Buffer.from(id, 'hex')
}

/** The header that precedes the body in the hashed bytes (never stored). */
export function objectHeader(kind: ObjectKind, length: number): Buffer {
  return Buffer.from(`${kind} ${length}\0`, 'latin1')
}

// One scratch buffer per thread: copying a 64 KiB chunk behind the header and hashing once
// ran at 3.1 GB/s here, against 2.1 GB/s for an incremental hasher fed header and body separately.
let scratch = Buffer.allocUnsafe(1 << 20)

/** The raw 32-byte id of an object. */
export function hashObjectBytes(kind: ObjectKind, body: Uint8Array): Buffer {
  const header = objectHeader(kind, body.length)
  const need = header.length + body.length
  if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2))
  header.copy(scratch, 0)
  scratch.set(body, header.length)
  return blake3(scratch.subarray(0, need))
}

export function hashObject(kind: ObjectKind, body: Uint8Array): ObjectId {
  return hashObjectBytes(kind, body).toString('hex') as ObjectId
}

export function shortId(id: ObjectId | string, length = 12): string {
  return id.slice(0, length)
}
