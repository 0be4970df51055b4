/** Human-readable figures for the bench's table and BENCHMARKS.md (binary units, as du and ls -h print them). */

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let u = 0
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`
}

export function formatSeconds(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(s < 0.1 ? 1 : 0)} ms`
  return `${s.toFixed(s < 10 ? 2 : 1)} s`
}

/** "0.93×" */
export function formatRatio(r: number): string {
  return `${r.toFixed(r < 10 ? 2 : 1)}×`
}
