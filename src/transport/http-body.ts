/**
 * The server's HTTP plumbing: bounded request bodies, JSON and error responses, content-type and
 * version checks, and writes that respect backpressure and stop when the client goes away.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ProtocolError } from '../errors.js'
import { CONTENT_JSON, PROTOCOL_HEADER, PROTOCOL_VERSION } from './limits.js'
import { toErrorResponse, withStatus } from './wire-error.js'

/** Reads a whole request body of at most max bytes (413 beyond). */
export async function readBody(req: IncomingMessage, max: number, what: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > max) throw withStatus(new ProtocolError(`${what} of ${declared} bytes is larger than ${max}`), 413)
  const parts: Buffer[] = []
  let n = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    n += chunk.length
    if (n > max) throw withStatus(new ProtocolError(`${what} is larger than ${max} bytes`), 413)
    parts.push(chunk)
  }
  return Buffer.concat(parts)
}

export function checkContentType(req: IncomingMessage, type: string, what: string): void {
  const got = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (got !== type) throw withStatus(new ProtocolError(`${what} must be ${type}, not '${got || 'none'}'`), 415)
}

export function checkProtocolVersion(req: IncomingMessage): void {
  const v = req.headers[PROTOCOL_HEADER]
  if (v !== PROTOCOL_VERSION) {
    throw new ProtocolError(v === undefined ? `request lacks the '${PROTOCOL_HEADER}: ${PROTOCOL_VERSION}' header` : `unsupported protocol version '${String(v)}'`)
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8')
  res.writeHead(status, { 'content-type': CONTENT_JSON, 'content-length': body.length })
  res.end(body)
}

/** Answers with PROTOCOL.md's error body. A request whose body was not read to the end gets its
 * connection closed, so an aborted upload is not drained byte by byte. */
export function sendError(req: IncomingMessage, res: ServerResponse, err: unknown, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const { status, body } = toErrorResponse(err)
  const json = Buffer.from(JSON.stringify(body), 'utf8')
  const headers: Record<string, string | number> = { 'content-type': CONTENT_JSON, 'content-length': json.length, ...extraHeaders }
  if (!req.complete) headers.connection = 'close'
  res.writeHead(status, headers)
  res.end(json)
}

/** Writes buffers in order, waiting for the socket to drain; throws if the client went away. */
export async function writeAll(res: ServerResponse, bufs: readonly Buffer[]): Promise<void> {
  for (const b of bufs) {
    if (res.destroyed) throw new ProtocolError('client closed the connection')
    if (!res.write(b)) await drained(res)
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      res.off('drain', onDrain)
      res.off('close', onClose)
      if (err) reject(err)
      else resolve()
    }
    const onDrain = () => done()
    const onClose = () => done(new ProtocolError('client closed the connection'))
    res.on('drain', onDrain)
    res.on('close', onClose)
  })
}
