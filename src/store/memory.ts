/**
 * MemoryBackend: a real, strict Backend held in a Map, for unit tests and as the reference
 * behaviour of the contract. Like restic's mem backend it refuses what the contract forbids:
 * overwriting a value with different bytes.
 */
import type { AbortOptions } from '../options.js'
import { AnkagitError, NotFoundError, throwIfAborted } from '../errors.js'
import { type Backend, type BackendStat, type LoadOptions, bodyParts, checkKey } from './backend.js'

export class MemoryBackend implements Backend {
  readonly location = 'memory'
  private readonly values = new Map<string, { body: Buffer; mtimeMs: number }>()

  async save(key: string, body: Uint8Array | readonly Uint8Array[], opts?: AbortOptions): Promise<void> {
    throwIfAborted(opts?.signal)
    checkKey(key)
    const bytes = Buffer.concat(bodyParts(body) as Uint8Array[])
    const old = this.values.get(key)
    if (old) {
      if (!old.body.equals(bytes)) throw new AnkagitError('EINVALID', `'${key}' already holds different bytes`, { key })
      return
    }
    this.values.set(key, { body: bytes, mtimeMs: Date.now() })
  }

  async load(key: string, opts: LoadOptions = {}): Promise<Buffer> {
    throwIfAborted(opts.signal)
    const v = this.values.get(checkKey(key))
    if (!v) throw new NotFoundError(`'${key}' not found in memory`, { key })
    const offset = Math.min(opts.offset ?? 0, v.body.length)
    const end = Math.min(opts.length === undefined ? v.body.length : offset + opts.length, v.body.length)
    return Buffer.from(v.body.subarray(offset, end))
  }

  async stat(key: string, opts?: AbortOptions): Promise<BackendStat | undefined> {
    throwIfAborted(opts?.signal)
    const v = this.values.get(checkKey(key))
    return v && { size: v.body.length, mtimeMs: v.mtimeMs }
  }

  async *list(prefix: string, opts?: AbortOptions): AsyncIterable<string> {
    for (const key of [...this.values.keys()]) {
      throwIfAborted(opts?.signal)
      if (key.startsWith(prefix)) yield key
    }
  }

  async remove(key: string, opts?: AbortOptions): Promise<void> {
    throwIfAborted(opts?.signal)
    this.values.delete(checkKey(key))
  }
}
