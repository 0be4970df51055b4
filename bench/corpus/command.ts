/**
 * Runs the external tools the corpus is made with (mkfs.ext4, debugfs, mount, cp, debootstrap)
 * and turns a failure into one CommandError that names the command and its first stderr line.
 */
import { execFile } from 'node:child_process'

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    const first = stderr.split('\n').map((l) => l.trim()).find(Boolean) ?? 'no output'
    super(`command '${command}' failed (exit ${exitCode ?? 'signal'}): ${first}`, options)
    this.name = 'CommandError'
  }
}

export interface RunOptions {
  env?: Record<string, string>
  cwd?: string
  signal?: AbortSignal
}

export interface RunResult {
  stdout: string
  stderr: string
}

/** Runs `cmd args...` without a shell; resolves with its output, rejects with CommandError on a non-zero exit. */
export function runCommand(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      {
        env: { ...process.env, ...opts.env },
        cwd: opts.cwd,
        signal: opts.signal,
        // debugfs prints one line per command of a script; tens of thousands of lines are normal here.
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : null
          reject(new CommandError([cmd, ...args].join(' ').slice(0, 200), code, String(stderr || err.message), { cause: err }))
        } else {
          resolve({ stdout: String(stdout), stderr: String(stderr) })
        }
      },
    )
  })
}
