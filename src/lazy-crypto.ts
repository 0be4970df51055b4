/**
 * The bits of node:crypto that local commands need (random names for temp files and locks, a hash
 * for a shared store's user files), with node:crypto loaded on first use: loading it costs ~3 ms,
 * which a command that writes nothing (a commit with nothing to do) need not pay.
 */
import type * as Crypto from 'node:crypto'
import { lazyRequire } from './lazy-require.js'

const nodeCrypto = lazyRequire<typeof Crypto>('node:crypto')

/** `bytes` random bytes as lowercase hex: unique names for temp files, locks and nonces. */
export function randomHex(bytes: number): string {
  return nodeCrypto().randomBytes(bytes).toString('hex')
}

/** SHA-256 of a UTF-8 string, as lowercase hex. */
export function sha256Hex(text: string): string {
  return nodeCrypto().createHash('sha256').update(text, 'utf8').digest('hex')
}
