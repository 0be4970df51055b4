/**
 * The one place that writes to the terminal: results, JSON, progress, warnings. Every CLI command
 * receives a CliIo and prints only through it, so tests can run commands in-process and capture output.
 */
import * as fs from 'node:fs'
import { type Command, Option } from 'commander'
import { InvalidArgumentError } from '../errors.js'
import type { ProgressEvent } from '../options.js'
import { EXIT_BY_CODE, EXIT_ERROR } from './exit-codes.js'

export type ProgressMode = 'auto' | 'always' | 'never' | 'json'

export interface OutputFlags {
  json?: boolean
  quiet?: boolean
  progress?: ProgressMode
}

export interface CliIo {
  out(text: string): void
  /** Raw bytes on stdout (cat-file -p of a chunk), with no newline added. */
  outBytes(bytes: Uint8Array): void
  err(text: string): void
  /** Terminal width for bars and tables; undefined when stdout is not a terminal. */
  readonly columns: number | undefined
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
}

export function processIo(): CliIo {
  // process.stdout and process.stderr are made on first use, and for a pipe that loads Node's net
  // and stream modules (~3 ms): a command that prints one error line should not pay for them.
  return {
    out: (t) => stdout().write(t.endsWith('\n') ? t : t + '\n'),
    outBytes: (b) => stdout().write(b),
    err: (t) => writeStderr(t.endsWith('\n') ? t : t + '\n'),
    get columns() {
      return isTerminal(1) ? process.stdout.columns : undefined
    },
    get stdoutIsTTY() {
      return isTerminal(1)
    },
    get stderrIsTTY() {
      return isTerminal(2)
    },
    env: process.env,
    cwd: process.cwd(),
  }
}

let stdoutReady = false

function stdout(): NodeJS.WriteStream {
  if (!stdoutReady) {
    stdoutReady = true
    // `ankagit log | head` closes the pipe early: end quietly, as git does. Any other write error
    // (`> /dev/full`) ends the command with one line, not the stack trace an unhandled 'error' prints.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0)
      const full = err.code === 'ENOSPC' || err.code === 'EDQUOT'
      writeStderr(`ankagit: cannot write the output: ${full ? 'no space left on device' : err.message}\n`)
      process.exit(full ? EXIT_BY_CODE.ENOSPACE : EXIT_ERROR)
    })
  }
  return process.stdout
}

/** Whether fd 1 or 2 is a terminal; a pipe or a file is ruled out by fstat, before its stream is made. */
function isTerminal(fd: 1 | 2): boolean {
  try {
    if (!fs.fstatSync(fd).isCharacterDevice()) return false
  } catch {
    return false
  }
  return Boolean((fd === 1 ? process.stdout : process.stderr).isTTY)
}

let stderrStream = false

/**
 * Everything on stderr (errors, warnings, progress) goes out synchronously through fd 2, as git's
 * does: in order, and whole before the process exits. A non-blocking stderr that is full falls back
 * to the stream for the rest; an unwritable one is given up.
 */
function writeStderr(text: string): void {
  const buf = Buffer.from(text)
  let done = 0
  if (!stderrStream) {
    try {
      while (done < buf.length) done += fs.writeSync(2, buf, done)
      return
    } catch (err) {
      // Closed, full or broken (EPIPE, ENOSPC, EIO): there is nobody left to tell.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return
      stderrStream = true
    }
  }
  process.stderr.write(buf.subarray(done))
}

/** Adds --json, --quiet and --progress to a command; every command that reports uses the same three. */
export function withOutputOptions(cmd: Command, json = true): Command {
  if (json) cmd.option('--json', 'print the result as JSON on stdout')
  return cmd
    .option('-q, --quiet', 'print nothing but errors')
    .addOption(
      new Option('--progress <mode>', 'progress on stderr: auto (on a terminal), always, never, or json (NDJSON events)')
        .choices(['auto', 'always', 'never', 'json'])
        .default('auto'),
    )
}

/** The value of -n/--max-count (log, du): a whole number >= 0, or undefined when not given. */
export function parseMaxCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`invalid count '${text}' for -n: expected a whole number >= 0`)
  return n
}

function human(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`
}

export const formatBytes = human

/**
 * A progress reporter for library onProgress callbacks. On a terminal it redraws one line on stderr
 * (phase, bytes, percent, rate, ETA) at most 10 times a second; with --progress=json it writes one
 * NDJSON event per update (throttled the same way); otherwise it stays silent.
 */
export function makeProgress(io: CliIo, flags: OutputFlags): { onProgress?: (e: ProgressEvent) => void; done(): void } {
  const mode = flags.quiet ? 'never' : flags.progress ?? 'auto'
  const show = mode === 'always' || (mode === 'auto' && io.stderrIsTTY && !flags.json)
  if (mode === 'json') {
    let last = 0
    const began = Date.now()
    return {
      onProgress: (e) => {
        const now = Date.now()
        if (now - last < 100 && e.done !== e.total) return
        last = now
        // elapsedMs lets a CI log show where the time went without timestamps of its own
        io.err(JSON.stringify({ type: 'progress', ...e, elapsedMs: now - began }))
      },
      done: () => {},
    }
  }
  if (!show) return { done: () => {} }
  let last = 0
  let start = Date.now()
  let phase = ''
  let drawn = false
  return {
    onProgress: (e) => {
      const now = Date.now()
      if (e.phase !== phase) {
        phase = e.phase
        start = now
      }
      if (now - last < 100 && e.done !== e.total) return
      last = now
      const secs = Math.max((now - start) / 1000, 0.001)
      const isBytes = (e.unit ?? 'bytes') === 'bytes'
      const fmt = (n: number) => (isBytes ? human(n) : String(n))
      let line = `${e.phase}: ${fmt(e.done)}`
      if (e.total !== undefined && e.total > 0) {
        const pct = Math.min(100, (100 * e.done) / e.total)
        const rate = e.done / secs
        const eta = rate > 0 ? (e.total - e.done) / rate : 0
        line += ` / ${fmt(e.total)} (${pct.toFixed(0)}%)`
        if (isBytes) line += `, ${human(rate)}/s, ETA ${eta.toFixed(0)}s`
      }
      writeStderr(`\r\x1b[K${line}`)
      drawn = true
    },
    done: () => {
      if (drawn) writeStderr('\r\x1b[K')
    },
  }
}
