/**
 * The fetch endpoints (PROTOCOL.md § 6): `negotiate` answers wants and haves with the metadata the
 * client lacks, in one round trip; `chunks` streams the chunks the client asks for, from stored
 * frames wherever it can, or says exactly how many bytes that would be (`?dry-run=1`).
 */
import { AnkagitError, InvalidArgumentError, NotFoundError } from '../errors.js'
import { type ObjectId, idFromBytes, idToBytes, shortId } from '../objects/id.js'
import type { ObjectStore } from '../objects/object-store.js'
import { CONTENT_FRAMES, CONTENT_IDS, CONTENT_JSON, IDS_PER_REQUEST, JSON_BODY_MAX } from './limits.js'
import { checkContentType, readBody, sendJson, writeAll } from './http-body.js'
import { decodeNegotiateRequest, encodeNegotiateHeader, parseJsonBody } from './messages.js'
import { metadataDelta } from './metadata-delta.js'
import { frameBodies } from './frame-bodies.js'
import { FrameStreamWriter } from './frame-stream.js'
import { IdList, decodeIds } from './id-list.js'
import { materialize, planShipments, shipFrames } from './frame-planner.js'
import type { CompressedFrame } from '../pack/frame.js'
import { toErrorResponse, withStatus } from './wire-error.js'
import { type ServerContext, existingRepository } from './server-context.js'

export async function serveNegotiate(ctx: ServerContext): Promise<void> {
  checkContentType(ctx.req, CONTENT_JSON, 'negotiate request')
  const request = decodeNegotiateRequest(parseJsonBody(await readBody(ctx.req, JSON_BODY_MAX, 'negotiate request'), 'negotiate request'))
  const refs = await existingRepository(ctx)
  const tips = new Set<string>()
  for await (const [, id] of refs.list('refs/', { signal: ctx.signal })) tips.add(id)
  for (const want of request.wants) {
    if (!tips.has(want)) {
      throw withStatus(new AnkagitError('EREFCONFLICT', `${shortId(want)} is not a ref tip of repository '${ctx.repo}' (its refs moved; fetch again)`, { want }), 409)
    }
  }
  const store = ctx.registry.objects
  await store.load({ signal: ctx.signal })
  // Isolated: only haves in this repository's history count, so `common` cannot tell a client which
  // commits of other repositories the shared store holds.
  const history = ctx.reachable ? (await ctx.reachable.of(ctx.repo, refs, { signal: ctx.signal })).history : undefined
  const common = request.haves.filter((id) => store.contains(idToBytes(id)) && (!history || history.has(id)))
  const delta = metadataDelta(store, request.wants, common, { signal: ctx.signal })
  await streamFrames(ctx, frameBodies(delta, { pool: ctx.pool, signal: ctx.signal }), encodeNegotiateHeader({ common }))
}

export async function serveChunks(ctx: ServerContext): Promise<void> {
  checkContentType(ctx.req, CONTENT_IDS, 'chunks request')
  const body = decodeIds(await readBody(ctx.req, IDS_PER_REQUEST * 32, 'chunks request'), IDS_PER_REQUEST, 'chunks request')
  const refs = await existingRepository(ctx)
  const store = ctx.registry.objects
  const ids = new IdList()
  for (let o = 0; o < body.length; o += 32) ids.add(body.subarray(o, o + 32))
  await checkChunks(store, ids, ctx.signal)
  if (ctx.reachable) {
    const allowed = (await ctx.reachable.of(ctx.repo, refs, { signal: ctx.signal })).chunks
    for (const raw of ids) {
      // The same answer as for an absent chunk: a client learns nothing of other repositories' data.
      if (!allowed.has(raw)) throw new NotFoundError(`chunk ${idFromBytes(raw)} not found`, { id: idFromBytes(raw) })
    }
  }
  if (ctx.url.searchParams.get('dry-run') === '1') {
    const meter = new FrameStreamWriter()
    let bytes = meter.start().reduce((a, b) => a + b.length, 0)
    for await (const s of planShipments(store, ids, { signal: ctx.signal })) {
      const length = s.type === 'stored' ? s.loc.entry.frameLength : (await materialize(store, s, { pool: ctx.pool, signal: ctx.signal })).data.length
      bytes += meter.frameHead(s.objects, length).length + length
    }
    bytes += meter.end().reduce((a, b) => a + b.length, 0)
    sendJson(ctx.res, 200, { frames: meter.totals.frames, objects: meter.totals.objects, bytes })
    return
  }
  await streamFrames(ctx, shipFrames(store, ids, { pool: ctx.pool, signal: ctx.signal }))
}

/** Every id must be a chunk the store holds: checked before the response starts, so a bad request
 * gets a plain 4xx. Reloads the indexes once, for packs another daemon on the same store wrote. */
async function checkChunks(store: ObjectStore, ids: IdList, signal: AbortSignal): Promise<void> {
  await store.load({ signal })
  let refreshed = false
  for (const raw of ids) {
    if (!store.contains(raw) && !refreshed) {
      await store.refresh({ signal })
      refreshed = true
    }
    const id = idFromBytes(raw)
    if (!store.contains(raw)) throw new NotFoundError(`chunk ${id} not found`, { id })
    const kind = store.locate(id)?.entry.kind ?? (await store.get(id as ObjectId, { signal })).kind
    if (kind !== 'chunk') throw new InvalidArgumentError(`object ${id} is a ${kind}, not a chunk; metadata travels through negotiate`, { id })
  }
}

/** Sends a frame stream; a failure after the 200 went out ends it with an ERROR record. */
async function streamFrames(ctx: ServerContext, frames: AsyncIterable<CompressedFrame>, header?: Record<string, unknown>): Promise<void> {
  const writer = new FrameStreamWriter()
  ctx.res.writeHead(200, { 'content-type': CONTENT_FRAMES })
  try {
    await writeAll(ctx.res, writer.start(header))
    for await (const f of frames) await writeAll(ctx.res, writer.frame(f.data, f.objects))
    await writeAll(ctx.res, writer.end())
  } catch (err) {
    if (ctx.res.destroyed) return
    await writeAll(ctx.res, writer.error(toErrorResponse(err).body as unknown as Record<string, unknown>)).catch(() => {})
  }
  ctx.res.end()
}
