/**
 * Reflog lines, one per change, appended to logs/<ref name> (git's layout, our line format):
 *
 *   <old id> <new id> <time ms> <who>\t<message>\n
 *
 * A missing side (ref created or deleted) is written as 64 zeros, as git writes its null id.
 * `who` and the message are kept to one line so an append is one line, whole or torn at the end.
 */
import * as os from 'node:os'
import { CorruptObjectError } from '../errors.js'
import { type ObjectId, isObjectId } from '../objects/id.js'
import type { ReflogEntry } from './ref-store.js'

const NULL_ID = '0'.repeat(64)

export function encodeReflogEntry(e: ReflogEntry): string {
  const c = cleanReflogEntry(e)
  return `${c.old ?? NULL_ID} ${c.next ?? NULL_ID} ${c.time} ${c.who}\t${c.message}\n`
}

/** The entry as it reads back from a log: one-line texts, no tab in `who`, whole milliseconds. */
export function cleanReflogEntry(e: ReflogEntry): ReflogEntry {
  return { old: e.old, next: e.next, time: Math.trunc(e.time), who: oneLine(e.who).replace(/\t/g, ' '), message: oneLine(e.message) }
}

/** Entries newest first. An unterminated last line is a torn append from a crash and is skipped;
 *  any other malformed line throws CorruptObjectError naming the log. */
export function parseReflog(text: string, logName: string): ReflogEntry[] {
  const lines = text.split('\n')
  lines.pop() // the text after the last '\n': empty, or a torn append
  const entries: ReflogEntry[] = []
  for (let i = lines.length - 1; i >= 0; i--) {
    const entry = parseLine(lines[i]!)
    if (!entry) throw new CorruptObjectError(`reflog of '${logName}' is corrupt at line ${i + 1}`, { name: logName, line: i + 1 })
    entries.push(entry)
  }
  return entries
}

function parseLine(line: string): ReflogEntry | undefined {
  const tab = line.indexOf('\t')
  if (tab < 0) return undefined
  const head = line.slice(0, tab)
  const m = /^([0-9a-f]{64}) ([0-9a-f]{64}) (0|[1-9]\d{0,15}) ([^\x00-\x1f\x7f]*)$/.exec(head)
  const message = line.slice(tab + 1)
  // Only what encodeReflogEntry writes: a control byte or a zero-padded time is damage, not a variant
  // spelling (found by test/fuzz/local-files.test.ts).
  if (!m || !Number.isSafeInteger(Number(m[3])) || /[\x00-\x08\x0a-\x1f\x7f]/.test(message)) return undefined
  return { old: idOrNull(m[1]!), next: idOrNull(m[2]!), time: Number(m[3]), who: m[4]!, message }
}

function idOrNull(hex: string): ObjectId | null {
  return hex === NULL_ID || !isObjectId(hex) ? null : hex
}

// Control bytes, newlines included, become spaces: a reflog line must stay one line.
function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\t' ? '\t' : ' '))
}

/** "<user>@<host>" of this process, the default `who` of a reflog entry. */
export function defaultWho(): string {
  let user: string
  try {
    user = os.userInfo().username
  } catch {
    user = process.env.USER ?? 'unknown'
  }
  return `${user}@${os.hostname()}`
}
