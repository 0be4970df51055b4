/**
 * Author, committer and tagger lines, in git's form: `Name <email> 1700000000 +0100`.
 */
import { InvalidArgumentError } from '../errors.js'

export interface Signature {
  name: string
  email: string
  /** Seconds since the epoch. */
  time: number
  /** Minutes east of UTC. */
  tzOffset: number
}

export function formatSignature(s: Signature): string {
  if (/[<>\n\0]/.test(s.name) || /[<>\n\0]/.test(s.email)) throw new InvalidArgumentError(`invalid identity '${s.name} <${s.email}>'`)
  const sign = s.tzOffset < 0 ? '-' : '+'
  const abs = Math.abs(s.tzOffset)
  const tz = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`
  return `${s.name} <${s.email}> ${s.time} ${tz}`
}

const SIG_RE = /^(.*) <([^<>\n]*)> (\d+) ([+-])(\d\d)(\d\d)$/

export function parseSignature(line: string): Signature | undefined {
  const m = SIG_RE.exec(line)
  if (!m) return undefined
  const tz = Number(m[5]) * 60 + Number(m[6])
  return { name: m[1]!, email: m[2]!, time: Number(m[3]), tzOffset: m[4] === '-' ? -tz : tz }
}

/** A signature for name and email at the given moment, in local time. */
export function currentSignature(name: string, email: string, now = new Date()): Signature {
  return { name, email, time: Math.floor(now.getTime() / 1000), tzOffset: -now.getTimezoneOffset() }
}
