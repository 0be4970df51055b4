/**
 * The JSON messages of PROTOCOL.md, one encode/decode pair per message. Decoders take parsed JSON
 * from a peer and refuse anything off-spec with ProtocolError (bad ref names with
 * InvalidArgumentError), so nothing malformed gets past the edge of the transport.
 */
import { InvalidArgumentError, ProtocolError } from '../errors.js'
import { type ObjectId, isObjectId } from '../objects/id.js'
import { type RefName, quoteRefName, refNameProblem } from '../refs/ref-name.js'
import { HAVES_MAX, PROTOCOL_NAME, REF_UPDATES_MAX, WANTS_MAX } from './limits.js'

export interface Advertisement {
  repository: string
  /** The branch HEAD names, or null when that branch does not exist. */
  head: RefName | null
  /** Every ref under refs/, sorted by name. */
  refs: Array<[RefName, ObjectId]>
  capabilities: string[]
  limits: { idsPerRequest: number; frameRawMax: number; objectsPerFrame: number; streams: number }
}

export interface NegotiateRequest {
  wants: ObjectId[]
  haves: ObjectId[]
}

export interface NegotiateHeader {
  /** The haves the server holds. */
  common: ObjectId[]
}

/** What a `chunks?dry-run=1` request, or an upload, amounts to. */
export interface StreamCount {
  frames: number
  objects: number
  bytes: number
}

export interface UploadResult extends StreamCount {
  /** Objects the store did not hold before. */
  stored: number
}

export interface WireRefUpdate {
  name: RefName
  old: ObjectId | null
  new: ObjectId | null
  force: boolean
}

export interface RefUpdateResult {
  refs: Record<string, ObjectId | null>
}

/** Refuses bytes that are not UTF-8 instead of reading them as U+FFFD. */
const UTF8 = new TextDecoder('utf-8', { fatal: true })

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8')
}

/** Parses a JSON body; anything but an object is a ProtocolError. */
export function parseJsonBody(body: Buffer, what: string): Record<string, unknown> {
  let v: unknown
  try {
    v = JSON.parse(UTF8.decode(body))
  } catch {
    throw new ProtocolError(`${what} is not valid JSON`)
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ProtocolError(`${what} is not a JSON object`)
  return v as Record<string, unknown>
}

export function encodeAdvertisement(a: Advertisement): Record<string, unknown> {
  return { protocol: PROTOCOL_NAME, repository: a.repository, head: a.head, refs: Object.fromEntries(a.refs), capabilities: a.capabilities, limits: a.limits }
}

export function decodeAdvertisement(v: Record<string, unknown>): Advertisement {
  const what = 'refs advertisement'
  if (v.protocol !== PROTOCOL_NAME) throw new ProtocolError(`${what} speaks ${shown(v.protocol)}, not '${PROTOCOL_NAME}'`)
  const refs = record(v.refs, what, 'refs')
  const pairs = Object.entries(refs).map(([name, id]) => {
    if (!name.startsWith('refs/')) throw new ProtocolError(`${what}: ref ${shown(name)} is not under refs/`)
    return [refName(name, what, ProtocolError), objectId(id, what)] as [RefName, ObjectId]
  })
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const limits = record(v.limits, what, 'limits')
  return {
    repository: str(v.repository, what, 'repository'),
    head: v.head === null ? null : branchName(str(v.head, what, 'head'), what),
    refs: pairs,
    capabilities: list(v.capabilities, what, 'capabilities', 64).map((c) => str(c, what, 'capability')),
    limits: {
      idsPerRequest: count(limits.idsPerRequest, what, 'limits.idsPerRequest', 1),
      frameRawMax: count(limits.frameRawMax, what, 'limits.frameRawMax', 1),
      objectsPerFrame: count(limits.objectsPerFrame, what, 'limits.objectsPerFrame', 1),
      streams: count(limits.streams, what, 'limits.streams', 1),
    },
  }
}

export function encodeNegotiateRequest(r: NegotiateRequest): Record<string, unknown> {
  return { wants: r.wants, haves: r.haves }
}

export function decodeNegotiateRequest(v: Record<string, unknown>): NegotiateRequest {
  const what = 'negotiate request'
  const wants = list(v.wants, what, 'wants', WANTS_MAX).map((id) => objectId(id, what))
  if (wants.length === 0) throw new ProtocolError(`${what} has no wants`)
  return { wants, haves: list(v.haves, what, 'haves', HAVES_MAX).map((id) => objectId(id, what)) }
}

export function encodeNegotiateHeader(h: NegotiateHeader): Record<string, unknown> {
  return { common: h.common }
}

export function decodeNegotiateHeader(v: Record<string, unknown>): NegotiateHeader {
  return { common: list(v.common, 'negotiate header', 'common', HAVES_MAX).map((id) => objectId(id, 'negotiate header')) }
}

export function decodeStreamCount(v: Record<string, unknown>, what: string): StreamCount {
  return { frames: count(v.frames, what, 'frames', 0), objects: count(v.objects, what, 'objects', 0), bytes: count(v.bytes, what, 'bytes', 0) }
}

export function decodeUploadResult(v: Record<string, unknown>): UploadResult {
  return { ...decodeStreamCount(v, 'upload result'), stored: count(v.stored, 'upload result', 'stored', 0) }
}

export function encodeRefUpdates(updates: readonly WireRefUpdate[]): Record<string, unknown> {
  return { updates: updates.map((u) => ({ name: u.name, old: u.old, new: u.new, force: u.force })) }
}

export function decodeRefUpdates(v: Record<string, unknown>): WireRefUpdate[] {
  const what = 'update-refs request'
  const items = list(v.updates, what, 'updates', REF_UPDATES_MAX)
  if (items.length === 0) throw new ProtocolError(`${what} has no updates`)
  const seen = new Set<string>()
  return items.map((item) => {
    const u = record(item, what, 'update')
    const name = refName(str(u.name, what, 'name'), what, InvalidArgumentError)
    if (name === 'HEAD') throw new InvalidArgumentError(`${what}: ref 'HEAD' cannot be pushed; name a branch`)
    if (seen.has(name)) throw new InvalidArgumentError(`${what} names ref '${name}' twice`, { name })
    seen.add(name)
    if (u.force !== undefined && typeof u.force !== 'boolean') throw new ProtocolError(`${what}: 'force' must be true or false`)
    const old = u.old === null ? null : objectId(u.old, what)
    const next = u.new === null ? null : objectId(u.new, what)
    return { name, old, new: next, force: u.force === true }
  })
}

export function decodeRefUpdateResult(v: Record<string, unknown>): RefUpdateResult {
  const what = 'update-refs result'
  const refs: Record<string, ObjectId | null> = {}
  for (const [name, id] of Object.entries(record(v.refs, what, 'refs'))) refs[refName(name, what, ProtocolError)] = id === null ? null : objectId(id, what)
  return { refs }
}

function str(v: unknown, what: string, field: string): string {
  if (typeof v !== 'string') throw new ProtocolError(`${what}: '${field}' must be a string`)
  return v
}

function count(v: unknown, what: string, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new ProtocolError(`${what}: '${field}' must be an integer >= ${min}`)
  return v
}

function list(v: unknown, what: string, field: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new ProtocolError(`${what}: '${field}' must be a list`)
  if (v.length > max) throw new ProtocolError(`${what}: '${field}' has ${v.length} entries, more than ${max}`)
  return v
}

function record(v: unknown, what: string, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ProtocolError(`${what}: '${field}' must be an object`)
  return v as Record<string, unknown>
}

function objectId(v: unknown, what: string): ObjectId {
  if (typeof v !== 'string' || !isObjectId(v)) throw new ProtocolError(`${what}: ${shown(v)} is not an object id`)
  return v
}

function branchName(name: string, what: string): RefName {
  if (!name.startsWith('refs/heads/')) throw new ProtocolError(`${what}: head ${shown(name)} is not a branch`)
  return refName(name, what, ProtocolError)
}

function refName(name: string, what: string, ErrorClass: typeof ProtocolError | typeof InvalidArgumentError): RefName {
  const problem = refNameProblem(name)
  if (problem !== undefined) throw new ErrorClass(`${what}: invalid ref name ${shown(name)}: ${problem}`, { name })
  return name as RefName
}

/** A peer's value for a message, quoted and short (quoteRefName). Not String(v): {"toString": 0} from a
 *  peer makes that throw a TypeError. */
function shown(v: unknown): string {
  return quoteRefName(typeof v === 'string' ? v : JSON.stringify(v) ?? typeof v)
}
