/**
 * The server side of PROTOCOL.md as a request handler: a route table with one entry per endpoint
 * (git serve.c's command table), each naming its method, the right it needs, and its handler in
 * serve-*.ts. createHandler(registry) plugs into http.createServer or https.createServer; the daemon
 * (src/daemon/serve.ts) adds listening, TLS and auth around it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { AnkagitError, NotFoundError, ProtocolError } from '../errors.js'
import { ReachableChunks } from './reachable-chunks.js'
import { FramePool } from '../pack/frame-pool.js'
import type { Registry } from './registry.js'
import { checkRepositoryName } from './repository-name.js'
import { checkProtocolVersion, sendError } from './http-body.js'
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from './limits.js'
import { withStatus } from './wire-error.js'
import type { Access, Authorizer, ServerContext } from './server-context.js'
import { serveAdvertisement, serveList } from './serve-refs.js'
import { serveChunks, serveNegotiate } from './serve-fetch.js'
import { serveMissing, serveUpdateRefs, serveUpload } from './serve-push.js'

interface Route {
  /** The path segment after the repository name ('' for the repository list at '/'). */
  verb: string
  method: 'GET' | 'POST'
  access: Access
  handle: (ctx: ServerContext) => Promise<void>
}

/** PROTOCOL.md §§ 4-7, in that order. */
export const ROUTES: readonly Route[] = [
  { verb: '', method: 'GET', access: 'read', handle: serveList },
  { verb: 'refs', method: 'GET', access: 'read', handle: serveAdvertisement },
  { verb: 'negotiate', method: 'POST', access: 'read', handle: serveNegotiate },
  { verb: 'chunks', method: 'POST', access: 'read', handle: serveChunks },
  { verb: 'missing', method: 'POST', access: 'write', handle: serveMissing },
  { verb: 'upload', method: 'POST', access: 'write', handle: serveUpload },
  { verb: 'update-refs', method: 'POST', access: 'write', handle: serveUpdateRefs },
]

export interface HandlerOptions {
  /** Who may read and write what; default: everyone everything (PROTOCOL.md § 8). */
  authorize?: Authorizer
  /** Worker threads for verifying and re-framing; default a pool of its own, closed by close(). */
  pool?: FramePool
  /** Longest time an upload runs without a flush (default 5000 ms). */
  flushIntervalMs?: number
  /** Told about every error answered with a 5xx status, for the daemon's log. */
  onInternalError?: (err: unknown, req: IncomingMessage) => void
}

export type Handler = ((req: IncomingMessage, res: ServerResponse) => void) & { close(): Promise<void> }

const allowAll: Authorizer = () => 'ok'

export function createHandler(registry: Registry, opts: HandlerOptions = {}): Handler {
  const pool = opts.pool ?? new FramePool()
  const authorize = opts.authorize ?? allowAll
  // Without an auth file every client may read every repository, so there is nothing to isolate.
  const reachable = opts.authorize ? new ReachableChunks(registry.objects) : undefined
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader(PROTOCOL_HEADER, PROTOCOL_VERSION)
    handle(req, res).catch((err) => {
      if (!(err instanceof AnkagitError) || err.code === 'EREMOTE') opts.onInternalError?.(err, req)
      const headers: Record<string, string> = err instanceof AnkagitError && err.code === 'EAUTH' ? { 'www-authenticate': 'Bearer realm="ankagit"' } : {}
      if (err instanceof AnkagitError && err.data.allow) headers.allow = String(err.data.allow)
      sendError(req, res, err, headers)
    })
  }
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://daemon')
    const parts = url.pathname.split('/').slice(1)
    const [repo, verb] = parts.length === 1 && parts[0] === '' ? ['', ''] : parts.length === 2 ? [decodeSegment(parts[0]!), parts[1]!] : [undefined, undefined]
    const candidates = ROUTES.filter((r) => verb !== undefined && r.verb === verb && (r.verb === '') === (repo === ''))
    if (repo === undefined || candidates.length === 0) throw new NotFoundError(`no such endpoint: ${req.method} ${url.pathname.slice(0, 200)}`)
    const route = candidates.find((r) => r.method === req.method)
    if (!route) throw withStatus(new ProtocolError(`${req.method} is not allowed on ${url.pathname.slice(0, 200)}`, { allow: candidates.map((r) => r.method).join(', ') }), 405)
    if (repo !== '') checkRepositoryName(repo)
    if (route.method === 'POST') checkProtocolVersion(req)
    const token = bearerToken(req)
    const verdict = authorize(token, repo || undefined, route.access)
    if (verdict === 'unauthenticated') throw new AnkagitError('EAUTH', token === undefined ? `authentication required for '${repo || '/'}'` : 'invalid token')
    if (verdict === 'forbidden') throw withStatus(new AnkagitError('EAUTH', `token may not ${route.access} '${repo || '/'}'`), 403)
    const abort = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) abort.abort()
    })
    const ctx: ServerContext = {
      req,
      res,
      url,
      registry,
      pool,
      repo,
      canWrite: repo !== '' && authorize(token, repo, 'write') === 'ok',
      canRead: (name) => authorize(token, name, 'read') === 'ok',
      signal: abort.signal,
      flushIntervalMs: opts.flushIntervalMs ?? 5000,
      reachable,
    }
    await route.handle(ctx)
  }
  return Object.assign(handler, { close: () => (opts.pool ? Promise.resolve() : pool.close()) })
}

function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')
  return m?.[1]
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
