/**
 * Typed errors. Every error the library throws on purpose is an AnkagitError with a stable
 * `code`; callers branch on the class or the code, never on the message. Messages follow git's
 * wording rules: lowercase, no full stop, the failing thing first, the subject quoted.
 * The CLI (src/cli/main.ts) is the only place that turns them into output and exit statuses.
 */

export type ErrorCode =
  | 'ENOTFOUND'
  | 'ECORRUPT'
  | 'EREFCONFLICT'
  | 'EINVALID'
  | 'ELOCKED'
  | 'EPROTOCOL'
  | 'EREMOTE'
  | 'EABORT'
  | 'ENOREPO'
  | 'EDIRTY'
  | 'ENOSPACE'
  | 'EAUTH'
  | 'ENOCHANGE'

export class AnkagitError extends Error {
  readonly code: ErrorCode
  readonly data: Record<string, unknown>
  constructor(code: ErrorCode, message: string, data: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.data = data
    this.name = new.target.name
  }
}

/** An object, ref, repository or key that is absent. The only error a fall-through reader may swallow. */
export class NotFoundError extends AnkagitError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('ENOTFOUND', message, data)
  }
}

/** Bytes that do not match their id, or that do not decode. Never caught and ignored. */
export class CorruptObjectError extends AnkagitError {
  constructor(message: string, data: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('ECORRUPT', message, data, options)
  }
}

/** A compare-and-swap on a ref found a value other than the one expected. */
export class RefConflictError extends AnkagitError {
  constructor(message: string, data: { name: string; expected: string | null | undefined; actual: string | null }) {
    super('EREFCONFLICT', message, data)
  }
}

/** A bad argument from the caller: a malformed id, ref name, revision or option. */
export class InvalidArgumentError extends AnkagitError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('EINVALID', message, data)
  }
}

/** Another process holds a lock this operation needs. */
export class LockedError extends AnkagitError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('ELOCKED', message, data)
  }
}

/** A peer sent something that breaks PROTOCOL.md. */
export class ProtocolError extends AnkagitError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('EPROTOCOL', message, data)
  }
}

/** A remote answered with an error status, or could not be reached. */
export class RemoteError extends AnkagitError {
  constructor(message: string, data: { status?: number; url?: string; code?: string } = {}, options?: { cause?: unknown }) {
    super('EREMOTE', message, data, options)
  }
}

/** The operation was cancelled through its AbortSignal. */
export class AbortError extends AnkagitError {
  constructor(message = 'operation aborted') {
    super('EABORT', message)
  }
}

/** Throws AbortError if the signal has fired; call at loop heads of long operations. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError()
}

/** Maps the errno of a failed filesystem call to a typed error where a caller can act on it. */
export function fromFsError(err: unknown, what: string): Error {
  const code = (err as NodeJS.ErrnoException)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AnkagitError('ENOSPACE', `no space left on device while writing ${what}`, {}, { cause: err })
  }
  if (code === 'ENOENT') return new NotFoundError(`${what} does not exist`)
  if (code === 'ELOOP') return new InvalidArgumentError(`${what} is a symbolic link; refusing to follow it`)
  return err instanceof Error ? err : new Error(String(err))
}
