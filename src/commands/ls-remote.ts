/**
 * `ankagit ls-remote URL|REMOTE`: the refs a registry advertises, one request.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { connect } from './connect.js'

export interface LsRemoteResult {
  url: string
  head: string | null
  refs: Array<{ name: string; id: ObjectId }>
}

export async function lsRemote(o: AbortOptions & { repo?: Repository; remote: string; token?: string; caFile?: string; env?: NodeJS.ProcessEnv }): Promise<LsRemoteResult> {
  const c = await connect(o)
  try {
    const ad = await c.remote.advertise(o)
    return { url: c.url, head: ad.head, refs: ad.refs.map(([name, id]) => ({ name, id })) }
  } finally {
    await c.remote.close()
  }
}
