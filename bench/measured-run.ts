/**
 * Runs one command as a child process and measures it: wall time and the peak resident set size of
 * the command and everything it waited for. The measuring is done by a few lines of python3 between
 * the bench and the command, because Linux reports a finished child's peak RSS only through
 * getrusage(RUSAGE_CHILDREN) of its parent, which Node cannot call, and /usr/bin/time is missing on
 * fresh machines while python3 is on every CI image.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

export interface MeasuredRunOptions {
  cwd?: string
  /** Replaces the environment (default: the bench's own, without ANKAGIT_* variables). */
  env?: NodeJS.ProcessEnv
  /** Sends the command's stdout to this file ('/dev/null' to discard it) instead of collecting it. */
  stdoutFile?: string
  /** Exit statuses that count as success; default [0]. */
  okCodes?: readonly number[]
}

export interface MeasuredRun {
  /** The command as one shell-quoted line, for the report. */
  command: string
  code: number
  /** Wall time of the command alone (the python wrapper's start-up is not included). */
  seconds: number
  /** Peak RSS of the command or its largest descendant, in bytes. */
  peakRssBytes: number
  userSeconds: number
  systemSeconds: number
  stdout: string
  stderr: string
}

// Exit status 127 mirrors the shell's "command not found"; a signal death comes back as 128 + signal.
const WRAPPER = `
import json, resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
try:
    code = subprocess.run(cmd).returncode
except FileNotFoundError:
    code = 127
seconds = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
if code < 0:
    code = 128 - code
with open(out, "w") as f:
    json.dump({"code": code, "seconds": seconds, "maxRssKiB": ru.ru_maxrss, "user": ru.ru_utime, "system": ru.ru_stime}, f)
`

/** Quotes one argument for a POSIX shell only when it needs quoting. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

export function benchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANKAGIT_')) env[k] = v
  return env
}

/** Runs `cmd args` under the measuring wrapper; throws when the exit status is not in okCodes. */
export async function runMeasured(cmd: string, args: readonly string[], o: MeasuredRunOptions = {}): Promise<MeasuredRun> {
  const resultFile = path.join(os.tmpdir(), `ankagit-bench-rusage-${process.pid}-${Math.random().toString(36).slice(2)}.json`)
  const outFd = o.stdoutFile === undefined ? undefined : fs.openSync(o.stdoutFile, 'w')
  const command = [cmd, ...args].map(shellQuote).join(' ') + (o.stdoutFile === undefined ? '' : ` > ${shellQuote(o.stdoutFile)}`)
  try {
    const child = spawn('python3', ['-c', WRAPPER, resultFile, cmd, ...args], {
      cwd: o.cwd,
      env: o.env ?? benchEnv(),
      stdio: ['ignore', outFd ?? 'pipe', 'pipe'],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (d: Buffer) => stdout.push(d))
    child.stderr?.on('data', (d: Buffer) => stderr.push(d))
    const wrapperCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', resolve)
    })
    if (wrapperCode !== 0 || !fs.existsSync(resultFile)) {
      throw new Error(`measuring '${command}' failed: python3 exited with ${wrapperCode}: ${Buffer.concat(stderr).toString().trim().split('\n').pop() ?? ''}`)
    }
    const r = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as { code: number; seconds: number; maxRssKiB: number; user: number; system: number }
    const run: MeasuredRun = {
      command,
      code: r.code,
      seconds: r.seconds,
      peakRssBytes: r.maxRssKiB * 1024,
      userSeconds: r.user,
      systemSeconds: r.system,
      stdout: Buffer.concat(stdout).toString(),
      stderr: Buffer.concat(stderr).toString(),
    }
    if (!(o.okCodes ?? [0]).includes(run.code)) {
      const why = run.code === 127 ? 'command not found' : run.stderr.trim().split('\n').slice(-3).join('; ')
      throw new Error(`'${command}' exited with ${run.code}${o.cwd ? ` in '${o.cwd}'` : ''}: ${why}`)
    }
    return run
  } finally {
    if (outFd !== undefined) fs.closeSync(outFd)
    fs.rmSync(resultFile, { force: true })
  }
}
