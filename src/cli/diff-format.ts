/**
 * Text forms of a diff shared by `diff` and `show`: the --stat table (one line per changed file with
 * a bar of changed bytes scaled to the terminal, then a total line) and the long form (per file its
 * status, sizes, changed bytes and ranges, bytes a transfer would need, and a text diff for config).
 */
import type { CliIo } from './io.js'
import type { FileDiff } from '../commands/diff.js'
import { formatBytes } from './io.js'

export interface DiffTotals {
  files: FileDiff[]
  changedBytes: number
  transferBytes: number
}

/**
 * git diff --stat for bytes: ` path | <changed> <bar>`; the bar is '+' for data written, '-' for a
 * deleted file, scaled so the largest change fills the room left on a `width`-column line.
 */
export function formatStat(d: DiffTotals, width: number): string[] {
  const changed = d.files.filter((f) => f.status !== 'unchanged')
  if (changed.length === 0) return []
  const names = changed.map((f) => f.path)
  const sizes = changed.map((f) => formatBytes(f.changedBytes))
  const nameWidth = Math.min(Math.max(...names.map((n) => n.length)), Math.max(10, Math.floor(width / 2)))
  const sizeWidth = Math.max(...sizes.map((s) => s.length))
  const room = Math.max(10, width - nameWidth - sizeWidth - 6)
  const max = Math.max(...changed.map((f) => f.changedBytes), 1)
  const lines = changed.map((f, i) => {
    const bar = (f.status === 'deleted' ? '-' : '+').repeat(f.changedBytes > 0 ? Math.max(1, Math.round((f.changedBytes / max) * room)) : 0)
    return ` ${fit(names[i]!, nameWidth)} | ${sizes[i]!.padStart(sizeWidth)} ${bar}`.trimEnd()
  })
  const n = changed.length
  lines.push(` ${n} file${n === 1 ? '' : 's'} changed, ${formatBytes(d.changedBytes)} changed, ${formatBytes(d.transferBytes)} to transfer`)
  return lines
}

/** One block per file: status and path, sizes, changed ranges, transfer bytes, then its text diff if any. */
export function formatLong(d: DiffTotals): string[] {
  const lines: string[] = []
  for (const f of d.files) {
    const sizes = f.status === 'added' ? size(f.newSize) : f.status === 'deleted' ? size(f.oldSize) : f.oldSize === f.newSize ? size(f.newSize) : `${size(f.oldSize)} -> ${size(f.newSize)}`
    lines.push(`${f.status.padEnd(9)} ${f.path}  (${sizes})`)
    if (f.status === 'unchanged') continue
    const ranges = f.ranges.map(([s, e]) => `${s}-${e}`).join(', ')
    const more = f.changedRanges > f.ranges.length ? `, ... (${f.changedRanges - f.ranges.length} more)` : ''
    lines.push(`  changed   ${formatBytes(f.changedBytes)} in ${f.changedRanges} range${f.changedRanges === 1 ? '' : 's'}${ranges ? `: ${ranges}${more}` : ''}`)
    lines.push(`  transfer  ${formatBytes(f.transferBytes)}`)
    if (f.text) lines.push(...f.text.replace(/\n$/, '').split('\n').filter((l) => !l.startsWith('====')))
  }
  const n = d.files.filter((f) => f.status !== 'unchanged').length
  lines.push(`${n} file${n === 1 ? '' : 's'} changed, ${formatBytes(d.changedBytes)} changed, ${formatBytes(d.transferBytes)} to transfer`)
  return lines
}

function size(n: number | undefined): string {
  return n === undefined ? '-' : formatBytes(n)
}

function fit(name: string, width: number): string {
  return name.length <= width ? name.padEnd(width) : '...' + name.slice(name.length - width + 3)
}

/** Columns for --stat: $COLUMNS, else the terminal's width, else 80 (git's default when not a terminal). */
export function terminalWidth(io: CliIo): number {
  const fromEnv = Number(io.env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 20) return fromEnv
  return io.columns ?? 80
}
