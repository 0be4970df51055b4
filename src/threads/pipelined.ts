/**
 * Ordered look-ahead: starts the job of each item as it arrives, keeps at most `depth` jobs running
 * ahead of the consumer, and yields their results in item order. Transfers use it to verify,
 * load or compress the next frames while the current one is written or stored.
 *
 * A failing job fails the iteration when its turn comes, after the results before it. When the
 * source itself fails (a truncated stream), the jobs already started still come out first: a
 * receiver keeps every frame that was verified before the stream broke. A consumer that stops early
 * closes the source (so an HTTP body is released).
 */
export async function* pipelined<T, R>(source: AsyncIterable<T> | Iterable<T>, depth: number, run: (item: T) => Promise<R>): AsyncIterable<R> {
  const queue: Array<Promise<R>> = []
  const it: AsyncIterator<T> | Iterator<T> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()
  let sourceError: { err: unknown } | undefined
  let finished = false
  try {
    for (;;) {
      let next: IteratorResult<T>
      try {
        next = await it.next()
      } catch (err) {
        sourceError = { err }
        break
      }
      if (next.done) {
        finished = true
        break
      }
      const job = run(next.value)
      // Marked handled now: a job may fail long before its turn, which must not crash the process.
      job.catch(() => {})
      queue.push(job)
      if (queue.length > depth) yield await queue.shift()!
    }
    while (queue.length) yield await queue.shift()!
  } finally {
    if (!finished && !sourceError) await it.return?.()
  }
  if (sourceError) throw sourceError.err
}
