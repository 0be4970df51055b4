/**
 * A module loaded on first use instead of with its importer, for the ones whose loading costs start-up
 * time that many commands never need (each caller says how much). Through require, which also reaches
 * CommonJS packages without an exports map (zstd-napi/binding) and works unchanged in the CLI bundle.
 */
import { createRequire } from 'node:module'

export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined
  return () => (loaded ??= createRequire(import.meta.url)(id) as T)
}
