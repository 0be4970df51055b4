/**
 * Annotated tags: a text object naming another object, with a tagger and a message (FORMAT.md § Tags).
 * Lightweight tags are plain refs and have no object.
 */
import { type ObjectId, type ObjectKind, OBJECT_KINDS, isObjectId } from './id.js'
import { type Signature, formatSignature, parseSignature } from './signature.js'
import { CorruptObjectError, InvalidArgumentError } from '../errors.js'
import { encodesBackTo } from './bytes.js'

export interface Tag {
  object: ObjectId
  type: ObjectKind
  /** The short tag name, e.g. "v14.2". */
  name: string
  tagger: Signature
  message: string
}

export function encodeTag(t: Tag): Buffer {
  if (/[\s\0]/.test(t.name) || t.name === '') throw new InvalidArgumentError(`invalid tag name '${t.name}'`)
  const head = [`object ${t.object}`, `type ${t.type}`, `tag ${t.name}`, `tagger ${formatSignature(t.tagger)}`]
  return Buffer.from(`${head.join('\n')}\n\n${t.message}`, 'utf8')
}

export function decodeTag(body: Uint8Array, what = 'tag'): Tag {
  const fail = (reason: string): never => {
    throw new CorruptObjectError(`${what} is corrupt: ${reason}`)
  }
  const text = Buffer.from(body).toString('utf8')
  const split = text.indexOf('\n\n')
  if (split < 0) fail('no blank line before the message')
  const lines = text.slice(0, split).split('\n')
  if (lines.length !== 4) fail('expected 4 header lines')
  const [object, type, name, tagger] = lines.map((l, i) => {
    const key = ['object', 'type', 'tag', 'tagger'][i]!
    return l.startsWith(key + ' ') ? l.slice(key.length + 1) : fail(`missing ${key} line`)
  }) as [string, string, string, string]
  if (!isObjectId(object)) fail('bad object line')
  if (!(OBJECT_KINDS as readonly string[]).includes(type)) fail('bad type line')
  if (name === '' || /[\s\0]/.test(name)) fail('bad tag line')
  const sig = parseSignature(tagger) ?? fail('bad tagger line')
  const tag: Tag = { object: object as ObjectId, type: type as ObjectKind, name, tagger: sig, message: text.slice(split + 2) }
  if (!encodesBackTo(body, () => encodeTag(tag))) fail('not in canonical form')
  return tag
}
