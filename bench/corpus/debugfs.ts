/**
 * Driving debugfs (e2fsprogs) on an unmounted image: scripts of commands, reading a file out,
 * and a file's block map. debugfs exits 0 even when a command fails and reports the failure on
 * stderr, so any stderr line other than its version banner is treated as an error here.
 */
import * as fsp from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { CommandError, runCommand } from './command.js'

export interface DebugfsOptions {
  writable?: boolean
  /** Seconds since the epoch that libext2fs uses as "now" (E2FSPROGS_FAKE_TIME), for identical bytes on every run. */
  time?: number
  signal?: AbortSignal
}

/** Quotes a path for a debugfs command line; names with '"' or newlines cannot be expressed and are refused. */
export function quotePath(p: string): string {
  if (/^[A-Za-z0-9._+@,=\/-]+$/.test(p)) return p
  if (/["\n\r]/.test(p)) throw new CommandError(`debugfs ${p}`, null, `path '${p}' cannot be written in a debugfs command`)
  return `"${p}"`
}

/** Runs commands (one per line) in one debugfs process and returns its stdout. */
export async function runDebugfs(image: string, commands: readonly string[], o: DebugfsOptions = {}): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ankagit-debugfs-'))
  try {
    const script = path.join(dir, 'commands')
    await fsp.writeFile(script, commands.join('\n') + '\n')
    const args = [...(o.writable ? ['-w'] : []), '-f', script, image]
    const env: Record<string, string> = o.time === undefined ? {} : { E2FSPROGS_FAKE_TIME: String(o.time) }
    const { stdout, stderr } = await runCommand('debugfs', args, { env, signal: o.signal })
    const complaints = stderr.split('\n').filter((l) => l.trim() !== '' && !/^debugfs \d/.test(l))
    if (complaints.length > 0) throw new CommandError(`debugfs -f ${commands[0] ?? ''} ... (${commands.length} commands) ${image}`, 0, complaints.join('\n'))
    return stdout
  } finally {
    await fsp.rm(dir, { recursive: true, force: true })
  }
}

/** Reads one file out of an image. */
export async function readImageFile(image: string, imagePath: string, signal?: AbortSignal): Promise<Buffer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ankagit-dump-'))
  try {
    const out = path.join(dir, 'file')
    await runDebugfs(image, [`dump ${quotePath(imagePath)} ${out}`], { signal })
    return await fsp.readFile(out)
  } finally {
    await fsp.rm(dir, { recursive: true, force: true })
  }
}

export interface Extent {
  /** First logical block of the file. */
  logical: number
  /** First physical block in the filesystem. */
  physical: number
  length: number
}

/**
 * Parses the leaf lines of `ex -l PATH` output ("Level Entries Logical Physical Length Flags",
 * e.g. " 1/ 1   2/  6     2 -     2  2066 -  2066      1 "). Uninitialized extents are skipped
 * because they read as zeros. Ranges are optional in the pattern because interior lines print
 * a single physical block; `-l` leaves those out.
 */
export function parseLeafExtents(output: string): Extent[] {
  const out: Extent[] = []
  const re = /^\s*\d+\/\s*\d+\s+\d+\/\s*\d+\s+(\d+)(?:\s*-\s*\d+)?\s+(\d+)(?:\s*-\s*\d+)?\s+(\d+)\s*(.*)$/
  for (const line of output.split('\n')) {
    const m = re.exec(line)
    if (!m || /Uninit/.test(m[4] ?? '')) continue
    out.push({ logical: Number(m[1]), physical: Number(m[2]), length: Number(m[3]) })
  }
  return out
}

/** Block maps of many files in one debugfs run, keyed by image path. */
export async function readExtents(image: string, paths: readonly string[], signal?: AbortSignal): Promise<Map<string, Extent[]>> {
  const out = new Map<string, Extent[]>()
  if (paths.length === 0) return out
  const stdout = await runDebugfs(image, paths.map((p) => `ex -l ${quotePath(p)}`), { signal })
  // Each command's output follows its echo line "debugfs: ex -l PATH".
  const sections = stdout.split(/^debugfs: ex -l /m).slice(1)
  sections.forEach((section, i) => out.set(paths[i]!, parseLeafExtents(section.slice(section.indexOf('\n') + 1))))
  return out
}

export interface InodeEntry {
  ino: number
  mode: number
  name: string
}

/** The entries of many folders (`ls -p`, '.' and '..' left out) in one debugfs run. */
export async function listFolders(image: string, dirs: readonly string[], signal?: AbortSignal): Promise<InodeEntry[]> {
  if (dirs.length === 0) return []
  const stdout = await runDebugfs(image, dirs.map((d) => `ls -p ${quotePath(d)}`), { signal })
  const out: InodeEntry[] = []
  // "/<ino>/<octal mode>/<uid>/<gid>/<name>/<size or empty>/"
  for (const m of stdout.matchAll(/^\/(\d+)\/([0-7]+)\/\d+\/\d+\/([^/\n]*)\//gm)) {
    if (m[3] === '.' || m[3] === '..') continue
    out.push({ ino: Number(m[1]), mode: parseInt(m[2]!, 8), name: m[3]! })
  }
  return out
}
