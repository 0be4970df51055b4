/**
 * How a transfer of n ids is spread over parallel requests (PROTOCOL.md § 6.2): 2 to 4 contiguous
 * ranges, so each stream reads stored frames in file order, each range cut into requests of at most
 * `batch` ids. A small transfer stays on one stream: a second connection costs more than it saves.
 */

/** Below this many ids per stream, fewer streams are used: 64 chunks of 64 KiB are 4 MiB, about two
 * stored frames. */
export const MIN_IDS_PER_STREAM = 64
export const STREAMS_DEFAULT = 2

/** For each stream, its requests as [start, end) index ranges. */
export function splitStreams(n: number, streams: number, batch: number): Array<Array<[number, number]>> {
  if (n <= 0) return []
  const s = Math.max(1, Math.min(streams, Math.ceil(n / MIN_IDS_PER_STREAM)))
  const out: Array<Array<[number, number]>> = []
  const per = Math.ceil(n / s)
  for (let start = 0; start < n; start += per) {
    const end = Math.min(n, start + per)
    const requests: Array<[number, number]> = []
    for (let b = start; b < end; b += batch) requests.push([b, Math.min(end, b + batch)])
    out.push(requests)
  }
  return out
}
