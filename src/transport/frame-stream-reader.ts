/**
 * Reads a frame stream (PROTOCOL.md § 3) from any byte source, checking every limit before it
 * allocates: record types, table sizes, offsets, kinds, and the END totals that tell a finished
 * stream from a truncated one. It does not decompress or hash: verify-frame.ts does that, on a
 * worker thread when a FramePool is used, for every frame this yields.
 */
import { CorruptObjectError, ProtocolError } from '../errors.js'
import { ID_BYTES, type ObjectKind, idFromBytes } from '../objects/id.js'
import type { FrameObject } from '../pack/frame.js'
import { kindFromCode } from '../pack/pack-index.js'
import { FRAME_RAW_MAX } from '../pack/zstd.js'
import { FRAME_BYTES_MAX, JSON_BODY_MAX, OBJECTS_PER_FRAME_MAX, OBJECT_SIZE_MAX } from './limits.js'
import { RECORD_END, RECORD_ERROR, RECORD_FRAME, RECORD_HEADER, STREAM_MAGIC, STREAM_VERSION, type StreamTotals, emptyTotals } from './frame-stream.js'
import { fromErrorBody } from './wire-error.js'
import { parseJsonBody } from './messages.js'
import { ByteSource, VARINT_MAX_BYTES } from './byte-source.js'

export type StreamRecord =
  | { type: 'header'; value: Record<string, unknown> }
  | { type: 'frame'; objects: FrameObject[]; data: Buffer }
  | { type: 'end'; totals: StreamTotals }

export interface ReadStreamOptions {
  /** Names the stream in messages, e.g. "chunks response from http://host/repo". */
  what: string
  /** Kinds the endpoint allows; others are refused as corrupt. Default: all. */
  kinds?: readonly ObjectKind[]
  /** Whether a HEADER record may appear (default true). */
  header?: boolean
  /** The peer's URL, named in errors it sends in an ERROR record. */
  url?: string
}

/** Yields the stream's records in order; the last one is always 'end'. Throws on anything else. */
export async function* readFrameStream(source: AsyncIterable<Uint8Array>, o: ReadStreamOptions): AsyncIterable<StreamRecord> {
  const it = source[Symbol.asyncIterator]()
  try {
    yield* records(new ByteSource(it, o.what), o)
  } finally {
    // Stopped early, or failed: release the source (an HTTP body) instead of leaving it unread.
    await it.return?.()
  }
}

async function* records(src: ByteSource, o: ReadStreamOptions): AsyncIterable<StreamRecord> {
  const magic = await src.take(STREAM_MAGIC.length + 1)
  if (!magic.subarray(0, 4).equals(STREAM_MAGIC)) src.malformed('not a frame stream')
  if (magic[4] !== STREAM_VERSION) src.malformed(`unknown frame stream version ${magic[4]}`)
  const seen = emptyTotals()
  let first = true
  for (;;) {
    const type = await src.u8()
    if (type === RECORD_HEADER) {
      if (!first || o.header === false) src.malformed('unexpected header record')
      yield { type: 'header', value: parseJson(await src.take(await src.length(JSON_BODY_MAX, 'header')), src) }
    } else if (type === RECORD_FRAME) {
      const frame = await readFrame(src, o)
      seen.frames++
      seen.objects += frame.objects.length
      for (const obj of frame.objects) seen.rawBytes += obj.length
      seen.frameBytes += frame.data.length
      yield frame
    } else if (type === RECORD_END) {
      const totals: StreamTotals = { frames: await src.varint(), objects: await src.varint(), rawBytes: await src.varint(), frameBytes: await src.varint() }
      if (totals.frames !== seen.frames || totals.objects !== seen.objects || totals.rawBytes !== seen.rawBytes || totals.frameBytes !== seen.frameBytes) {
        src.malformed(`end record says ${totals.frames} frames and ${totals.objects} objects, the stream held ${seen.frames} and ${seen.objects}`)
      }
      if (!(await src.atEnd())) src.malformed('bytes after the end record')
      yield { type: 'end', totals }
      return
    } else if (type === RECORD_ERROR) {
      const body = parseJson(await src.take(await src.length(JSON_BODY_MAX, 'error')), src)
      throw fromErrorBody(500, body, o.url ?? 'peer')
    } else {
      src.malformed(`unknown record type ${type}`)
    }
    first = false
  }
}

/** A frame table row at its longest: kind, id, offset, length. */
const TABLE_ROW_MAX = 1 + ID_BYTES + 2 * VARINT_MAX_BYTES

async function readFrame(src: ByteSource, o: ReadStreamOptions): Promise<StreamRecord & { type: 'frame' }> {
  const count = await src.varint()
  if (count < 1 || count > OBJECTS_PER_FRAME_MAX) src.malformed(`frame with ${count} objects`)
  const objects: FrameObject[] = []
  const ids = new Set<string>()
  let end = 0
  for (let i = 0; i < count; i++) {
    // A row is read from buffered bytes: the frame's length and data always follow it.
    if (src.buffered < TABLE_ROW_MAX) await src.fill(TABLE_ROW_MAX)
    const code = src.u8Now()
    const kind = kindFromCode(code) ?? src.malformed(`unknown object kind ${code}`)
    const id = Buffer.from(src.takeNow(ID_BYTES))
    const offset = src.varintNow()
    const length = src.varintNow()
    const hex = idFromBytes(id)
    if (o.kinds && !o.kinds.includes(kind)) throw new CorruptObjectError(`${o.what} is corrupt: object ${hex} is a ${kind}, not allowed here`, { id: hex })
    if (length < 1 || length > OBJECT_SIZE_MAX[kind]) src.malformed(`${kind} ${hex} of ${length} bytes`)
    if (offset < end) src.malformed(`object ${hex} overlaps the one before it`)
    end = offset + length
    if (end > FRAME_RAW_MAX) src.malformed(`object ${hex} ends past ${FRAME_RAW_MAX} bytes`)
    if (ids.has(hex)) src.malformed(`object ${hex} listed twice in one frame`)
    ids.add(hex)
    objects.push({ id, kind, offset, length })
  }
  const length = await src.length(FRAME_BYTES_MAX, 'frame')
  if (length < 1) src.malformed('empty frame')
  return { type: 'frame', objects, data: await src.take(length) }
}

/** A record's JSON object, read by the same rules as a JSON body (messages.ts: UTF-8, an object). */
function parseJson(buf: Buffer, src: ByteSource): Record<string, unknown> {
  try {
    return parseJsonBody(buf, 'a record')
  } catch {
    return src.malformed('a record holds bad JSON')
  }
}
