/**
 * Starting and stopping ref-child.ts processes from the ref tests (not a test file itself).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ref-child.js')

export interface RunningChild {
  proc: ChildProcess
  /** Everything printed so far. */
  output(): string
  /** Resolves with the output when the process exits with status 0, rejects otherwise. */
  exited: Promise<string>
}

export function startChild(args: string[]): RunningChild {
  const proc = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (err += d))
  const exited = new Promise<string>((resolve, reject) => {
    proc.on('close', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`child ${args[0]} exited ${code ?? signal}: ${err.trim()}`))))
  })
  exited.catch(() => {}) // observed by callers that care; a killed holder is expected to fail
  return { proc, output: () => out, exited }
}

/** Starts a child that locks target, and resolves once it reports the lock taken. */
export async function holdLockInChild(target: string): Promise<RunningChild> {
  const child = startChild(['hold', target])
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (child.output().includes('locked\n')) resolve()
    }
    child.proc.stdout!.on('data', check)
    child.proc.on('close', (code) => reject(new Error(`lock holder exited early with ${code}`)))
  })
  return child
}

/** SIGKILL, so the child leaves its lock behind, and wait until it is reaped (no zombie left). */
export async function killChild(child: RunningChild): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return
  const closed = new Promise<void>((resolve) => child.proc.on('close', () => resolve()))
  child.proc.kill('SIGKILL')
  await closed
}
