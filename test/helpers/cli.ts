/**
 * Runs the built command line (dist/cli/ankagit.js, the bundle users run) in a child process, for
 * end-to-end tests: `await run(['commit', '-m', 'x'], { cwd })` -> { code, stdout, stderr }.
 * Build first (`npm run build`; test/run.ts bundles again before it runs tests), never the TypeScript sources.
 */
import { spawn } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: this file is compiled to dist/test/helpers/cli.js. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const CLI_MAIN = path.join(REPO_ROOT, 'dist', 'cli', 'ankagit.js')

export interface RunOptions {
  cwd: string
  /** Added to the inherited environment (ANKAGIT_* variables of the parent are removed first). */
  env?: Record<string, string | undefined>
  /** Written to the child's stdin, which is then closed. */
  input?: string | Buffer
  /** Kill the child after this long; default 120 s. The result then has code null and signal set. */
  timeoutMs?: number
}

export interface RunResult {
  /** Exit status, or null when the child was killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout exactly as written, for binary output (cat-file -p of a chunk). */
  stdoutBytes: Buffer
}

export function run(args: readonly string[], o: RunOptions): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANKAGIT_')) env[k] = v
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  env.NO_COLOR = '1'
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: o.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const stdoutBytes = Buffer.concat(out)
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes })
    })
    child.stdin.on('error', () => {}) // the child may exit without reading its input
    child.stdin.end(o.input ?? '')
  })
}

/** Runs and throws, with both streams in the message, unless the exit status is 0. */
export async function runOk(args: readonly string[], o: RunOptions): Promise<RunResult> {
  const r = await run(args, o)
  if (r.code !== 0) {
    throw new Error(`ankagit ${args.join(' ')} exited ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  }
  return r
}
