/**
 * ankagit's push, clone and pull against a local `ankagit daemon`, measured, for the wire figures.
 * It plugs in only when the built CLI offers `daemon` and `push` (the transport work lands them);
 * until then start() returns undefined and the report says the wire figure is the store growth.
 * Counters are read from each command's --json output wherever they sit in it (bytesSent,
 * bytesReceived, requests), so a reshuffle of that output does not break the bench.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import type { AnkagitCli } from './ankagit-cli.js'
import { benchEnv } from './measured-run.js'
import { type LoadedRun, withLoad } from './step.js'

export interface TransferFigures {
  run: LoadedRun
  bytesSent: number
  bytesReceived: number
  requests?: number
}

/** The first number found under `key` anywhere in a parsed JSON value (depth first), or undefined. */
export function findCounter(value: unknown, key: string): number | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const record = value as Record<string, unknown>
  if (typeof record[key] === 'number') return record[key] as number
  for (const v of Object.values(record)) {
    const found = findCounter(v, key)
    if (found !== undefined) return found
  }
  return undefined
}

function figures(run: LoadedRun): TransferFigures {
  const json = JSON.parse(run.stdout) as unknown
  return { run, bytesSent: findCounter(json, 'bytesSent') ?? 0, bytesReceived: findCounter(json, 'bytesReceived') ?? 0, requests: findCounter(json, 'requests') }
}

export class AnkagitTransport {
  private constructor(
    private readonly cli: AnkagitCli,
    private readonly daemon: ChildProcess,
    readonly url: string,
    private readonly repoName: string,
  ) {}

  /** Starts `ankagit daemon` on a free loopback port, or returns undefined when this build has no transport. */
  static async start(cli: AnkagitCli, root: string, repoName: string): Promise<AnkagitTransport | undefined> {
    if (!(await cli.has('daemon')) || !(await cli.has('push'))) return undefined
    const daemon = spawn(process.execPath, [cli.mainJs, 'daemon', '--root', root, '--listen', '127.0.0.1:0'], { env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    // A step that throws between start() and stop() must not leave the daemon running after the bench.
    process.once('exit', () => daemon.exitCode === null && daemon.kill('SIGTERM'))
    const url = await new Promise<string>((resolve, reject) => {
      let seen = ''
      const timer = setTimeout(() => reject(new Error(`ankagit daemon printed no 'listening on' line in 30 s: '${seen.slice(0, 200)}'`)), 30_000)
      const onData = (d: Buffer) => {
        seen += d.toString()
        const m = /listening on (https?:\/\/\S+)/.exec(seen)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      }
      daemon.stdout.on('data', onData)
      daemon.stderr.on('data', onData)
      daemon.on('exit', (code) => reject(new Error(`ankagit daemon exited with ${code}: '${seen.slice(0, 200)}'`)))
    })
    return new AnkagitTransport(cli, daemon, url, repoName)
  }

  get remoteUrl(): string {
    return `${this.url}/${this.repoName}`
  }

  async addRemote(vmDir: string): Promise<void> {
    await this.cli.run(['remote', 'add', 'origin', this.remoteUrl], { cwd: vmDir })
  }

  async push(vmDir: string): Promise<TransferFigures> {
    return figures(await withLoad(() => this.cli.run(['push', 'origin', 'main', '--json'], { cwd: vmDir })))
  }

  async clone(dest: string, cwd: string): Promise<TransferFigures> {
    return figures(await withLoad(() => this.cli.run(['clone', this.remoteUrl, dest, '--json'], { cwd })))
  }

  async pull(vmDir: string): Promise<TransferFigures> {
    return figures(await withLoad(() => this.cli.run(['pull', '--json'], { cwd: vmDir })))
  }

  stop(): void {
    if (this.daemon.exitCode === null) this.daemon.kill('SIGTERM')
  }
}
