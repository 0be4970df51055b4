/**
 * The daemon as a library call: serve({ root, listen }) or serve({ store, listen }) opens the
 * registry (a daemon root directory, or an S3 location shared by any number of replicas:
 * open-registry.ts), builds the request handler (src/transport/server.ts) with auth and TLS around
 * it, and listens.
 * Without an auth file anyone who reaches the address may read and write; the default address is
 * 127.0.0.1 for that reason (PROTOCOL.md § 8). The CLI's `ankagit daemon` wraps this.
 */
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import { InvalidArgumentError, fromFsError } from '../errors.js'
import { FramePool } from '../pack/frame-pool.js'
import { createHandler } from '../transport/server.js'
import type { StoreRegistry } from './registry.js'
import { type OpenRegistryOptions, openRegistry } from './open-registry.js'
import { LISTEN_DEFAULT, parseListen } from './listen-address.js'
import { loadAuthFile } from './auth.js'

/** A connection silent this long is closed; uploads of multi-GB disks keep theirs busy. */
const IDLE_TIMEOUT_MS = 120_000
/** A request's headers must be complete this long after its first byte, however slowly they trickle
 *  in (slowloris): a client on the far side of the world sends them in well under a second. */
const HEADERS_TIMEOUT_MS = 20_000
/** How long close() lets running requests finish before it cuts their connections. */
const CLOSE_GRACE_MS = 5_000

export interface ServeOptions {
  /** The daemon root: <root>/objects and <root>/repos (created if absent). Give root or store. */
  root?: string
  /** A registry location: a daemon root directory, or s3://BUCKET[/PREFIX]?endpoint=URL&region=R. */
  store?: string
  /** How the registry is opened (S3 client, retries, ref store leases); tests use it. */
  registryOptions?: OpenRegistryOptions
  /** "host:port" (port 0 picks a free one; IPv6 as "[::1]:port"); default 127.0.0.1:8089. */
  listen?: string
  /** Serve HTTPS with this certificate and key (PEM files). */
  tls?: { cert: string; key: string }
  /** Auth file (auth.ts); without it every client may read and write. */
  auth?: string
  /** Called for requests that failed with a 5xx status, for the daemon's log. */
  onInternalError?: (err: unknown) => void
  /** Connection limits; the defaults suit production, tests shorten them. */
  timeouts?: { idleMs?: number; headersMs?: number }
}

export interface Daemon {
  /** e.g. "http://127.0.0.1:8089". */
  url: string
  registry: StoreRegistry
  /** Stops accepting, lets running requests finish (a few seconds at most), saves what was received. */
  close(): Promise<void>
}

export async function serve(o: ServeOptions): Promise<Daemon> {
  const { host, port } = parseListen(o.listen ?? LISTEN_DEFAULT)
  const authorize = o.auth ? loadAuthFile(o.auth) : undefined
  if ((o.root === undefined) === (o.store === undefined)) throw new InvalidArgumentError('give the daemon a root directory or a store location, not both or neither')
  const registry = await openRegistry((o.root ?? o.store)!, o.registryOptions)
  const pool = new FramePool()
  const handler = createHandler(registry, { authorize, pool, onInternalError: o.onInternalError })
  const headersMs = o.timeouts?.headersMs ?? HEADERS_TIMEOUT_MS
  // Node checks the headers deadline on this interval (30 s by default), so the deadline holds to within half of it.
  const limits = { headersTimeout: headersMs, connectionsCheckingInterval: Math.max(100, Math.floor(headersMs / 2)) }
  const server = o.tls ? https.createServer({ ...limits, cert: readPem(o.tls.cert, 'certificate'), key: readPem(o.tls.key, 'key') }, handler) : http.createServer(limits, handler)
  // Node ends a request after 300 s by default; a 50 GB push takes longer. Idle connections still time out.
  server.requestTimeout = 0
  server.setTimeout(o.timeouts?.idleMs ?? IDLE_TIMEOUT_MS)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(listenError(err, host, port)))
      server.listen(port, host, () => resolve())
    })
  } catch (err) {
    await pool.close()
    throw err
  }
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `${o.tls ? 'https' : 'http'}://${shownHost}:${address.port}`
  return {
    url,
    registry,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
      await closed
      clearTimeout(timer)
      await registry.flush()
      await pool.close()
    },
  }
}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file)
  } catch (err) {
    throw fromFsError(err, `TLS ${what} '${file}'`)
  }
}

/** Why the socket could not be bound, in one line; other errors as fromFsError maps them. */
function listenError(err: unknown, host: string, port: number): Error {
  const code = (err as NodeJS.ErrnoException).code
  const where = `${host}:${port}`
  if (code === 'EADDRINUSE') return new InvalidArgumentError(`cannot listen on ${where}: the address is already in use`)
  if (code === 'EADDRNOTAVAIL') return new InvalidArgumentError(`cannot listen on ${where}: no such address on this host`)
  if (code === 'EACCES') return new InvalidArgumentError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`)
  return fromFsError(err, `address ${where}`)
}
