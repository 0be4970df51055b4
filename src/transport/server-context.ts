/**
 * What every route handler of server.ts gets: the request, the response, the registry, the
 * validated repository name, the caller's rights, and a signal that fires when the client goes away.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { NotFoundError } from '../errors.js'
import type { RefStore } from '../refs/ref-store.js'
import type { FramePool } from '../pack/frame-pool.js'
import type { Registry } from './registry.js'
import type { ReachableChunks } from './reachable-chunks.js'

export type Access = 'read' | 'write'

/** Decides whether a bearer token (undefined when none was sent) may read or write a repository
 * (undefined for the repository list). 'unauthenticated' answers 401, 'forbidden' 403. */
export type Authorizer = (token: string | undefined, repo: string | undefined, access: Access) => 'ok' | 'unauthenticated' | 'forbidden'

export interface ServerContext {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  registry: Registry
  pool: FramePool
  /** The repository named in the path (validated); '' for the list. */
  repo: string
  /** Whether the caller may write this repository (advertised as the 'push' capability). */
  canWrite: boolean
  canRead: (repo: string) => boolean
  signal: AbortSignal
  /** Milliseconds between flushes of a long upload. */
  flushIntervalMs: number
  /** Set when repositories are isolated (an auth file is in use): chunk reads are limited to the
   *  repository's own reachable chunks. */
  reachable?: ReachableChunks
}

/** The refs of the context's repository; NotFoundError when it does not exist. */
export async function existingRepository(ctx: ServerContext): Promise<RefStore> {
  const refs = await ctx.registry.open(ctx.repo, { signal: ctx.signal })
  if (!refs) throw new NotFoundError(`repository '${ctx.repo}' not found`, { repository: ctx.repo })
  return refs
}
