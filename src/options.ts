/**
 * Option shapes every long-running library call accepts, named the same everywhere
 * (js-stores AbortOptions, isomorphic-git onProgress).
 */

export interface AbortOptions {
  signal?: AbortSignal
}

/** One progress report. `total` is absent when it is not known in advance. Units are bytes unless `unit` says otherwise. */
export interface ProgressEvent {
  phase: string
  done: number
  total?: number
  unit?: 'bytes' | 'objects' | 'files'
}

export interface ProgressOptions extends AbortOptions {
  onProgress?: (event: ProgressEvent) => void
}
