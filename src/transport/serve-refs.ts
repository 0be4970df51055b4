/**
 * `GET /` and `GET /<repo>/refs` (PROTOCOL.md §§ 4, 5): the repository list and the refs
 * advertisement, the only request of a fetch that finds nothing new.
 */
import type { ObjectId } from '../objects/id.js'
import type { RefName } from '../refs/ref-name.js'
import { type Advertisement, encodeAdvertisement } from './messages.js'
import { IDS_PER_REQUEST, OBJECTS_PER_FRAME_MAX, PROTOCOL_NAME, STREAMS_MAX } from './limits.js'
import { FRAME_RAW_MAX } from '../pack/zstd.js'
import { sendJson } from './http-body.js'
import { type ServerContext, existingRepository } from './server-context.js'

export async function serveList(ctx: ServerContext): Promise<void> {
  const names = (await ctx.registry.list({ signal: ctx.signal })).filter((n) => ctx.canRead(n))
  sendJson(ctx.res, 200, { protocol: PROTOCOL_NAME, repositories: names })
}

export async function serveAdvertisement(ctx: ServerContext): Promise<void> {
  const refs = await existingRepository(ctx)
  const list: Array<[RefName, ObjectId]> = []
  for await (const pair of refs.list('refs/', { signal: ctx.signal })) list.push(pair)
  const head = await refs.readHead({ signal: ctx.signal })
  const headName = 'symbolic' in head && list.some(([name]) => name === head.symbolic) ? head.symbolic : null
  const ad: Advertisement = {
    repository: ctx.repo,
    head: headName,
    refs: list,
    capabilities: ['fetch', ...(ctx.canWrite ? ['push'] : []), 'atomic-refs', 'dry-run'],
    limits: { idsPerRequest: IDS_PER_REQUEST, frameRawMax: FRAME_RAW_MAX, objectsPerFrame: OBJECTS_PER_FRAME_MAX, streams: STREAMS_MAX },
  }
  sendJson(ctx.res, 200, encodeAdvertisement(ad))
}
