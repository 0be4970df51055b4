/**
 * A real `ankagit daemon` in a child process for end-to-end tests, started as a user would (the
 * built CLI, port 0) and found through its readiness line; and the checks a test makes on a daemon
 * root afterwards (fsck, pack files). Every daemon still running when the test process exits is
 * killed, also after a failed assertion.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { CLI_MAIN, type RunResult, run } from './cli.js'
import { tmpDir } from './tmp.js'

export interface StartDaemonOptions {
  /** An auth file (--auth). */
  auth?: string
  /** PEM certificate and key: the daemon serves HTTPS. */
  tls?: { cert: string; key: string }
  /** Added to the environment (ANKAGIT_* variables of the parent are removed first), e.g. ANKAGIT_CRASH_AT. */
  env?: Record<string, string | undefined>
  /** A fixed address instead of 127.0.0.1:0. */
  listen?: string
  /** How long to wait for the readiness line; default 30 s (loading a large root's pack indexes). */
  readyTimeoutMs?: number
}

export interface TestDaemon {
  /** As printed in the readiness line, e.g. http://127.0.0.1:40123. */
  url: string
  pid: number
  root: string
  /** Everything the daemon wrote to stderr so far (its log of internal errors). */
  stderr(): string
  /** SIGTERM, then SIGKILL if it has not exited after graceMs (default 10 s); resolves with its exit status. */
  stop(graceMs?: number): Promise<number | null>
  /** SIGKILL now, as a crash or a power cut would end it; resolves once it is gone. */
  kill9(): Promise<void>
}

const live = new Set<ChildProcess>()
let hooked = false

export function startDaemon(root: string, o: StartDaemonOptions = {}): Promise<TestDaemon> {
  const args = [CLI_MAIN, 'daemon', '--root', root, '--listen', o.listen ?? '127.0.0.1:0']
  if (o.auth) args.push('--auth', o.auth)
  if (o.tls) args.push('--tls-cert', o.tls.cert, '--tls-key', o.tls.key)
  const child = spawn(process.execPath, args, { env: childEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] })
  live.add(child)
  // Unreferenced, so a test that fails before stopping it still lets this process exit (and the
  // exit hook below kill it); the readiness timer keeps the process alive while it starts.
  child.unref()
  for (const s of [child.stdout, child.stderr] as Array<NodeJS.ReadableStream & { unref?: () => void }>) s.unref?.()
  if (!hooked) {
    hooked = true
    process.on('exit', () => {
      for (const c of live) c.kill('SIGKILL')
    })
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    live.delete(child)
    resolve(code)
  }))
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`ankagit daemon --root ${root} ${why}\nstdout: ${stdout}\nstderr: ${stderr}`))
    }
    const timer = setTimeout(() => fail('printed no readiness line in time'), o.readyTimeoutMs ?? 30_000)
    child.once('error', (err) => fail(`could not start: ${err.message}`))
    const early = (code: number | null, signal: NodeJS.Signals | null) => fail(`exited ${code ?? signal} before it was ready`)
    child.once('exit', early)
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString('utf8')
      const m = /^listening on (https?:\/\/\S+)\n/.exec(stdout)
      if (!m) return
      clearTimeout(timer)
      child.off('exit', early)
      resolve({
        url: m[1]!,
        pid: child.pid!,
        root,
        stderr: () => stderr,
        stop: async (graceMs = 10_000) => {
          if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
          child.kill('SIGTERM')
          const t = setTimeout(() => child.kill('SIGKILL'), graceMs)
          const code = await exited
          clearTimeout(t)
          return code
        },
        kill9: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
          // The child is unreferenced: a timer keeps this process alive until the exit is seen.
          const keepAlive = setInterval(() => {}, 1000)
          await exited
          clearInterval(keepAlive)
        },
      })
    })
  })
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANKAGIT_')) env[k] = v
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

/** Runs `ankagit fsck --root ROOT --json`: the whole store, and what every repository's refs reach.
 *  Returned under the key 'registry' (one run covers every repository). */
export async function fsckDaemonRoot(root: string): Promise<Record<string, RunResult>> {
  return { registry: await run(['fsck', '--root', root, '--json'], { cwd: path.dirname(root) }) }
}

/** Names of the complete packs of a store folder: those whose index exists (a pack is saved before its index). */
export function packNames(objectsDir: string): string[] {
  try {
    return fs.readdirSync(path.join(objectsDir, 'packs')).filter((f) => f.endsWith('.idx')).map((f) => f.slice(0, -4)).sort()
  } catch {
    return []
  }
}

/**
 * Pack files of a store folder, finished or being written: packs/*.pack, and the temporary files a
 * save writes first (tmp/*.tmp). This count grows as soon as a save starts, earlier than packNames:
 * the moment to kill a sender while most of its data is still in flight.
 */
export function packFilesWritten(objectsDir: string): number {
  const count = (sub: string, ext: string) => {
    try {
      return fs.readdirSync(path.join(objectsDir, sub)).filter((f) => f.endsWith(ext)).length
    } catch {
      return 0
    }
  }
  return count('packs', '.pack') + count('tmp', '.tmp')
}

/** Polls `ready` every 10 ms until it is true; throws `what` after timeoutMs (default 60 s). */
export async function waitUntil(ready: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!ready()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
