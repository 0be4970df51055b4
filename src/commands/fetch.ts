/**
 * `ankagit fetch [REMOTE]`: brings the remote's branches (as refs/remotes/<remote>/*) and tags, and
 * every object they reach that the local store lacks, whichever VM it belongs to.
 */
import type { ProgressOptions } from '../options.js'
import type { Repository } from '../repository.js'
import { type FetchResult, fetchPack } from '../transport/fetch-pack.js'
import { connect } from './connect.js'

export interface FetchOptions extends ProgressOptions {
  repo: Repository
  remote?: string
  dryRun?: boolean
  token?: string
  caFile?: string
  env?: NodeJS.ProcessEnv
}

export type FetchCommandResult = FetchResult & { remote: string; url: string }

export async function fetch(o: FetchOptions): Promise<FetchCommandResult> {
  const remoteArg = o.remote ?? 'origin'
  const c = await connect({ repo: o.repo, remote: remoteArg, token: o.token, caFile: o.caFile, env: o.env })
  try {
    const r = await fetchPack({ repo: o.repo, remote: c.remote, remoteName: c.name, dryRun: o.dryRun, onProgress: o.onProgress, signal: o.signal })
    return { ...r, remote: remoteArg, url: c.url }
  } finally {
    await c.remote.close()
  }
}
