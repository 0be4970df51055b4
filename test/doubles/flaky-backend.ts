/**
 * Test double: a MemoryBackend whose save() can be made to fail or to wait, to prove error paths
 * and races of code above the Backend. Used only in tests.
 */
import { MemoryBackend } from '../../src/store/memory.js'
import type { AbortOptions } from '../../src/options.js'

export class FlakyBackend extends MemoryBackend {
  /** Saves of keys matching this fail with an I/O-like error. */
  failSaves?: RegExp
  /** Saves wait for this promise before storing (a slow disk). */
  gate?: Promise<void>

  override async save(key: string, body: Uint8Array | readonly Uint8Array[], opts?: AbortOptions): Promise<void> {
    if (this.gate) await this.gate
    if (this.failSaves?.test(key)) throw Object.assign(new Error(`EIO: injected failure saving '${key}'`), { code: 'EIO' })
    return super.save(key, body, opts)
  }
}
