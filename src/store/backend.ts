/**
 * Where bytes live: a flat namespace of immutable named values, restic's five verbs.
 * The object store (src/objects/object-store.ts) keeps packs and their indexes here; the backend
 * knows nothing about object kinds. Implementations: LocalBackend (a directory, the default),
 * MemoryBackend (strict, for unit tests), S3Backend (scale-out).
 *
 * Keys are '/'-separated paths of [a-z0-9._-] segments, e.g. "packs/3f/3fa9….pack".
 */
import type { AbortOptions } from '../options.js'
import { InvalidArgumentError } from '../errors.js'

export interface BackendStat {
  size: number
  /** When the value was stored; gc uses it for its grace window. */
  mtimeMs: number
}

export interface LoadOptions extends AbortOptions {
  /** First byte to return; default 0. */
  offset?: number
  /** Number of bytes to return; default to the end. A range past the end is clipped, not an error. */
  length?: number
}

export interface Backend {
  /**
   * Stores body under key atomically: a reader sees no value or the whole value, never part of it,
   * and a crash leaves no partial value under the key. Values are immutable: saving a key that
   * already exists is allowed only with identical bytes (content-addressed callers do this when
   * two writers race), and succeeds without change. Durable when the promise resolves.
   */
  save(key: string, body: Uint8Array | readonly Uint8Array[], opts?: AbortOptions): Promise<void>
  /** The value, or its [offset, offset+length) slice clipped to the value. Throws NotFoundError if absent. */
  load(key: string, opts?: LoadOptions): Promise<Buffer>
  /** Size and age of the value, or undefined if absent. Never throws for a missing key. */
  stat(key: string, opts?: AbortOptions): Promise<BackendStat | undefined>
  /** Every key that starts with prefix, each exactly once, in no particular order. */
  list(prefix: string, opts?: AbortOptions): AsyncIterable<string>
  /** Removes key. Removing an absent key is not an error (two gc runs may race). */
  remove(key: string, opts?: AbortOptions): Promise<void>
  /** A short human description, for messages ("local /srv/ankagit", "s3://bucket/prefix"). */
  readonly location: string
}

const KEY_RE = /^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/

/** Rejects keys that could escape the namespace (empty segments, "..", odd characters). */
export function checkKey(key: string): string {
  if (!KEY_RE.test(key) || key.split('/').some((s) => s === '.' || s === '..') || key.length > 512) {
    throw new InvalidArgumentError(`invalid storage key '${key}'`)
  }
  return key
}

export function bodyParts(body: Uint8Array | readonly Uint8Array[]): readonly Uint8Array[] {
  return body instanceof Uint8Array ? [body] : body
}

export function bodyLength(body: Uint8Array | readonly Uint8Array[]): number {
  let n = 0
  for (const p of bodyParts(body)) n += p.length
  return n
}

/**
 * An optional ability (restic's way: extra interfaces beside the five verbs): values are plain files
 * that a worker thread may read itself, so the main thread never touches their bytes. LocalBackend has it.
 */
export interface FileBackend extends Backend {
  /** The file holding key's value (which may not exist). */
  filePath(key: string): string
  /** A new, empty, open temp file in the store, for a value written in place (a pack as it fills). */
  createTemp(hint: string): { path: string; fd: number }
  /** Makes a whole, fsynced, closed temp file key's value, atomically and durably (as save does). */
  adoptTemp(tempPath: string, key: string, opts?: AbortOptions): Promise<void>
}

export function isFileBackend(b: Backend): b is FileBackend {
  return typeof (b as Partial<FileBackend>).filePath === 'function' && typeof (b as Partial<FileBackend>).adoptTemp === 'function'
}
