/**
 * Runs a transfer's parallel streams: all of them, or, when one fails, stops the others (through
 * the signal each gets) and throws the first failure once every stream has ended, so nothing keeps
 * writing to a store after the transfer has returned.
 */
export async function runStreams<T>(items: readonly T[], signal: AbortSignal | undefined, run: (item: T, signal: AbortSignal) => Promise<void>): Promise<void> {
  const stop = new AbortController()
  const onAbort = () => stop.abort()
  if (signal?.aborted) stop.abort()
  signal?.addEventListener('abort', onAbort)
  let failure: { err: unknown } | undefined
  try {
    await Promise.all(
      items.map(async (item) => {
        try {
          await run(item, stop.signal)
        } catch (err) {
          failure ??= { err }
          stop.abort()
        }
      }),
    )
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
  if (failure) throw failure.err
}
