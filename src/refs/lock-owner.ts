/**
 * Who holds a lock file, and whether that holder is provably dead. A lock is only ever removed
 * on proof, never on age: the owner ran on this host in this boot and its pid is gone, is a
 * zombie, or now belongs to a process that started at another time (pid reuse). A lock from
 * another host, another pid namespace (a container) or an owner we cannot inspect stays held.
 *
 * Lock file text, one "key value" per line (values have no newlines):
 *   ankagit-lock 1 / pid / host / boot (kernel boot id) / pidns / start (/proc/<pid>/stat field 22) / nonce
 * `-` stands for a value this platform cannot give (no /proc on macOS). The nonce makes every lock
 * file's text unique, so a breaker can tell the lock it judged from a newer one at the same path.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import { randomHex } from '../lazy-crypto.js'

export interface LockOwner {
  pid: number
  host: string
  boot: string | null
  pidns: string | null
  start: string | null
  nonce: string
}

const MAGIC = 'ankagit-lock 1'

/** A fresh owner record for this process (new nonce each call). */
export function currentLockOwner(): LockOwner {
  const self = selfFacts()
  return { ...self, nonce: randomHex(12) }
}

let cachedSelf: Omit<LockOwner, 'nonce'> | undefined
function selfFacts(): Omit<LockOwner, 'nonce'> {
  cachedSelf ??= {
    pid: process.pid,
    host: oneWord(os.hostname()),
    boot: readTrimmed('/proc/sys/kernel/random/boot_id'),
    pidns: readLinkOrNull('/proc/self/ns/pid'),
    start: processStart(process.pid)?.start ?? null,
  }
  return cachedSelf
}

export function encodeLockOwner(o: LockOwner): string {
  const v = (x: string | null): string => x ?? '-'
  return `${MAGIC}\npid ${o.pid}\nhost ${o.host}\nboot ${v(o.boot)}\npidns ${v(o.pidns)}\nstart ${v(o.start)}\nnonce ${o.nonce}\n`
}

/** The owner a lock file names, or undefined when the text is not a lock record we wrote. */
export function parseLockOwner(text: string): LockOwner | undefined {
  const lines = text.split('\n')
  if (lines[0] !== MAGIC) return undefined
  const fields = new Map<string, string>()
  for (const line of lines.slice(1)) {
    const sp = line.indexOf(' ')
    if (sp > 0) fields.set(line.slice(0, sp), line.slice(sp + 1))
  }
  const pid = Number(fields.get('pid'))
  const host = fields.get('host')
  const nonce = fields.get('nonce')
  if (!Number.isSafeInteger(pid) || pid <= 0 || !host || !nonce) return undefined
  const opt = (k: string): string | null => {
    const x = fields.get(k)
    return x === undefined || x === '-' ? null : x
  }
  return { pid, host, boot: opt('boot'), pidns: opt('pidns'), start: opt('start'), nonce }
}

/** True only when the owner can be proved dead from this process; false means "may be alive". */
export function isLockOwnerDead(owner: LockOwner): boolean {
  const self = selfFacts()
  if (owner.host !== self.host) return false
  if (owner.boot !== null && self.boot !== null && owner.boot !== self.boot) return true // rebooted since
  if (owner.pidns !== self.pidns) return false // another pid namespace: its pids mean nothing here
  if (!pidExists(owner.pid)) return true
  const now = processStart(owner.pid)
  if (now?.zombie) return true
  return owner.start !== null && now !== undefined && now.start !== owner.start
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the pid exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

/** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat) and zombie state, Linux only. */
export function processStart(pid: number): { start: string; zombie: boolean } | undefined {
  const stat = readTrimmed(`/proc/${pid}/stat`)
  if (stat === null) return undefined
  // The command name (field 2) sits in parentheses and may itself hold spaces or ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const start = rest[22 - 3]
  if (start === undefined || !/^\d+$/.test(start)) return undefined
  return { start, zombie: rest[0] === 'Z' || rest[0] === 'X' }
}

function readTrimmed(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    return null
  }
}

function readLinkOrNull(file: string): string | null {
  try {
    return oneWord(fs.readlinkSync(file))
  } catch {
    return null
  }
}

function oneWord(s: string): string {
  return s.replace(/\s/g, '_') || 'unknown'
}
