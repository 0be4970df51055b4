/**
 * Errors on the wire (PROTOCOL.md § 2): the server turns a thrown error into a status and the JSON
 * error body; the client turns that body back into the same error class, so callers branch on the
 * class or code whichever side of the connection the error came from.
 */
import {
  AnkagitError,
  CorruptObjectError,
  type ErrorCode,
  InvalidArgumentError,
  LockedError,
  NotFoundError,
  ProtocolError,
  RefConflictError,
  RemoteError,
} from '../errors.js'

export interface ErrorBody {
  error: { code: string; message: string; data?: Record<string, unknown> }
}

const DEFAULT_STATUS: Partial<Record<ErrorCode, number>> = {
  ENOTFOUND: 404,
  ECORRUPT: 422,
  EREFCONFLICT: 409,
  EINVALID: 400,
  EPROTOCOL: 400,
  EAUTH: 401,
  ELOCKED: 423,
  ENOSPACE: 507,
}

const overrides = new WeakMap<Error, number>()

/** Marks err to be answered with status instead of its code's default (e.g. 422 for a failed
 * connectivity check, 403 for a token without the right). Returns err. */
export function withStatus<E extends Error>(err: E, status: number): E {
  overrides.set(err, status)
  return err
}

/** The status and body the server answers a thrown error with. Non-ankagit errors become 500 EREMOTE. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  const e = err instanceof Error ? err : new Error(String(err))
  if (!(e instanceof AnkagitError)) {
    return { status: overrides.get(e) ?? 500, body: { error: { code: 'EREMOTE', message: `internal error: ${e.message}` } } }
  }
  const status = overrides.get(e) ?? DEFAULT_STATUS[e.code] ?? 500
  const body: ErrorBody = { error: { code: e.code, message: e.message } }
  if (Object.keys(e.data).length > 0) body.error.data = e.data
  return { status, body }
}

/** Rebuilds the error a server sent. Anything unparseable becomes a RemoteError naming the status. */
export function fromErrorBody(status: number, body: unknown, url: string): AnkagitError {
  const error = (body as ErrorBody | undefined)?.error
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') {
    return new RemoteError(`remote '${url}' answered ${status} without an error body`, { status, url })
  }
  const message = error.message.replace(/[\r\n]+/g, ' ').slice(0, 1000)
  const data: Record<string, unknown> = { ...(isRecord(error.data) ? error.data : {}), status, url }
  switch (error.code) {
    case 'ENOTFOUND':
      return new NotFoundError(message, data)
    case 'ECORRUPT':
      return new CorruptObjectError(message, data)
    case 'EREFCONFLICT':
      return new RefConflictError(message, data as { name: string; expected: null; actual: null })
    case 'EINVALID':
      return new InvalidArgumentError(message, data)
    case 'EPROTOCOL':
      return new ProtocolError(message, data)
    case 'ELOCKED':
      return new LockedError(message, data)
    case 'EAUTH':
      return new AnkagitError(error.code, message, data)
    case 'ENOSPACE':
      // Say whose disk is full: the user can free space on their own, not on the registry.
      return new AnkagitError(error.code, `remote '${url}': ${message}`, data)
    default:
      return new RemoteError(`remote '${url}' failed: ${message}`, { status, url, code: error.code })
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
