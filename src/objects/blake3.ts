/**
 * BLAKE3 from @napi-rs/blake-hash, the one place ankagit gets it, loaded on first use: the package's
 * loader costs ~8 ms (it asks process.report whether the C library is musl before choosing a binary),
 * which commands that hash nothing (a commit with nothing to do, log, --help) need not pay.
 */
import type * as BlakeHash from '@napi-rs/blake-hash'
import { lazyRequire } from '../lazy-require.js'

const blakeHash = lazyRequire<typeof BlakeHash>('@napi-rs/blake-hash')

/** The 32-byte BLAKE3 digest of data. */
export function blake3(data: Buffer): Buffer {
  return blakeHash().blake3(data)
}

/** An incremental BLAKE3 hasher, for data that arrives in parts (a pack as its frames are added). */
export function blake3Hasher(): BlakeHash.Blake3Hasher {
  return new (blakeHash().Blake3Hasher)()
}
