/**
 * Repeated measurements of one figure. The machine has two cores shared with colleagues' test runs,
 * so one run of anything is noise: the bench repeats each timed step and quotes the median, with the
 * spread beside it.
 */

export interface Samples {
  values: number[]
  median: number
  min: number
  max: number
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function samplesOf(values: readonly number[]): Samples {
  return { values: [...values], median: median(values), min: Math.min(...values), max: Math.max(...values) }
}
