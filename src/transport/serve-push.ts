/**
 * The push endpoints (PROTOCOL.md § 7): `missing` answers which ids the shared store lacks, `upload`
 * verifies and keeps every object of a frame stream as it arrives, and `update-refs` moves refs by
 * compare-and-swap after the connectivity and fast-forward checks.
 */
import { AnkagitError, InvalidArgumentError, RefConflictError } from '../errors.js'
import { type ObjectId, shortId } from '../objects/id.js'
import type { RefName } from '../refs/ref-name.js'
import { CONTENT_FRAMES, CONTENT_IDS, CONTENT_JSON, IDS_PER_REQUEST, JSON_BODY_MAX } from './limits.js'
import { checkContentType, readBody, sendJson } from './http-body.js'
import { type UploadResult, type WireRefUpdate, decodeRefUpdates, parseJsonBody } from './messages.js'
import { decodeIds } from './id-list.js'
import { readFrameStream } from './frame-stream-reader.js'
import { pipelined } from '../threads/pipelined.js'
import type { CompressedFrame } from '../pack/frame.js'
import { checkConnectivity } from './connectivity.js'
import { isAncestor } from '../objects/ancestry.js'
import { withStatus } from './wire-error.js'
import type { ServerContext } from './server-context.js'

/** Frames verified ahead of the one being stored. */
const VERIFY_AHEAD = 3

export async function serveMissing(ctx: ServerContext): Promise<void> {
  checkContentType(ctx.req, CONTENT_IDS, 'missing request')
  const body = decodeIds(await readBody(ctx.req, IDS_PER_REQUEST * 32, 'missing request'), IDS_PER_REQUEST, 'missing request')
  const store = ctx.registry.objects
  await store.refresh({ signal: ctx.signal })
  const out: Buffer[] = []
  for (let o = 0; o < body.length; o += 32) {
    const id = body.subarray(o, o + 32)
    if (!store.contains(id)) out.push(id)
  }
  const reply = Buffer.concat(out)
  ctx.res.writeHead(200, { 'content-type': CONTENT_IDS, 'content-length': reply.length })
  ctx.res.end(reply)
}

export async function serveUpload(ctx: ServerContext): Promise<void> {
  checkContentType(ctx.req, CONTENT_FRAMES, 'upload')
  const { registry, pool } = ctx
  await registry.objects.load({ signal: ctx.signal })
  const what = `upload to '${ctx.repo}'`
  const result: UploadResult = { frames: 0, objects: 0, stored: 0, bytes: 0 }
  // Only a failure that may have lost this upload's frames fails its flushes (StoreQueue.flush).
  const since = registry.mark()
  let lastFlush = Date.now()
  const keep = async (frame: CompressedFrame): Promise<void> => {
    result.frames++
    result.objects += frame.objects.length
    result.bytes += frame.data.length
    // Handed over (ObjectStore.putFrame, release): the frame's buffer is freed once the pack has it.
    result.stored += await registry.putFrame(frame, { signal: ctx.signal, release: true })
    if (Date.now() - lastFlush >= ctx.flushIntervalMs) {
      await registry.flush({ since })
      lastFlush = Date.now()
    }
  }
  let n = 0
  const verified = pipelined(readFrameStream(ctx.req, { what }), VERIFY_AHEAD, async (rec) => {
    if (rec.type !== 'frame') return undefined
    const { data } = await pool.verify(rec.data, rec.objects, `frame ${++n} of the ${what}`)
    return { data, objects: rec.objects }
  })
  try {
    for await (const frame of verified) if (frame) await keep(frame)
  } catch (err) {
    // Every frame verified before the failure was kept above, so the retry need not send it again.
    await registry.flush({ since })
    throw err
  }
  await registry.flush({ since })
  sendJson(ctx.res, 200, result)
}

export async function serveUpdateRefs(ctx: ServerContext): Promise<void> {
  checkContentType(ctx.req, CONTENT_JSON, 'update-refs request')
  const updates = decodeRefUpdates(parseJsonBody(await readBody(ctx.req, JSON_BODY_MAX, 'update-refs request'), 'update-refs request'))
  const { registry } = ctx
  const opts = { signal: ctx.signal }
  const existing = await registry.open(ctx.repo, opts)
  const current = new Map<string, ObjectId>()
  if (existing) for await (const [name, id] of existing.list('refs/', opts)) current.set(name, id)
  const store = registry.objects
  await store.refresh(opts)
  const haves = [...new Set(current.values())]
  for (const u of updates) await checkUpdate(ctx, u, current.get(u.name) ?? null, haves)
  // Everything the refs will name must be durable before they name it. Objects of an earlier failed
  // pack are not in the store, so checkUpdate above already refused refs that name them.
  await registry.flush({ ...opts, since: registry.mark() })
  const refs = existing ?? (updates.some((u) => u.new !== null) ? await registry.create(ctx.repo, opts) : undefined)
  if (refs) {
    await refs.update(updates.map((u) => ({ name: u.name, next: u.new, expect: u.old, message: u.force ? 'push (forced)' : 'push' })), opts)
    if (!existing) await pointHeadAtPushedBranch(refs, updates)
  }
  sendJson(ctx.res, 200, { refs: Object.fromEntries(updates.map((u) => [u.name, u.new])) })
}

async function checkUpdate(ctx: ServerContext, u: WireRefUpdate, actual: ObjectId | null, haves: ObjectId[]): Promise<void> {
  const store = ctx.registry.objects
  const opts = { signal: ctx.signal }
  if (actual !== u.old) {
    const show = (id: ObjectId | null) => (id === null ? 'nothing' : shortId(id))
    throw new RefConflictError(`ref '${u.name}' changed: expected ${show(u.old)}, found ${show(actual)}`, { name: u.name, expected: u.old, actual })
  }
  if (u.new === null || u.new === u.old) return
  await checkConnectivity(store, u.name, u.new, haves, opts)
  const { kind } = await store.get(u.new, opts)
  if (u.name.startsWith('refs/heads/') && kind !== 'commit') throw new InvalidArgumentError(`ref '${u.name}' must point at a commit, not a ${kind}`, { name: u.name })
  if (u.force || u.old === null) return
  if (u.name.startsWith('refs/tags/')) {
    throw withStatus(new AnkagitError('EREFCONFLICT', `ref '${u.name}' rejected: the tag already exists (push with --force to move it)`, { name: u.name, reason: 'tag exists' }), 409)
  }
  if (!(await isAncestor(store, u.old, u.new, opts))) {
    throw new AnkagitError('EREFCONFLICT', `ref '${u.name}' rejected: ${shortId(u.new)} does not contain ${shortId(u.old)} (non-fast-forward; fetch first, or push with --force)`, {
      name: u.name,
      reason: 'non-fast-forward',
    })
  }
}

/** A repository created by a push that did not include main gets HEAD on its first pushed branch. */
async function pointHeadAtPushedBranch(refs: Awaited<ReturnType<ServerContext['registry']['create']>>, updates: WireRefUpdate[]): Promise<void> {
  const branches = updates.filter((u) => u.new !== null && u.name.startsWith('refs/heads/')).map((u) => u.name)
  if (branches.length === 0 || branches.includes('refs/heads/main' as RefName)) return
  await refs.writeHead({ symbolic: branches[0]! }, { message: 'first push' })
}
