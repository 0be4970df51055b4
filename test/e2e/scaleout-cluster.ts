/**
 * The pieces of a scaled-out registry for the scale-out and daemon gc end-to-end tests that
 * test/helpers/ lacks: `ankagit daemon` processes on any store (`--root` or `--store s3://…`; the
 * shared helpers/daemon.ts starts `--root` only), a request-counting HTTP proxy, and VM directories
 * with an exact number of chunks. nginx and certificates come from helpers/nginx.ts and tls.ts.
 * Every process started here is killed by pid when the test process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type * as net from 'node:net'
import * as path from 'node:path'
import { CLI_MAIN, runOk } from '../helpers/cli.js'
import { findNginx } from '../helpers/nginx.js'
import { testCredentials } from '../helpers/s3.js'

const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})

/** The environment every spawned CLI gets: the test identity and the S3 keys. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const { accessKeyId, secretAccessKey } = testCredentials()
  return { ANKAGIT_AUTHOR_NAME: 'Ada Tester', ANKAGIT_AUTHOR_EMAIL: 'ada@example.com', AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, ...extra }
}

export interface DaemonProcess {
  url: string
  port: number
  pid: number
  /** Everything the daemon wrote to stderr so far. */
  stderr: () => string
  /** SIGTERM, then wait for the exit (running requests finish). */
  stop: () => Promise<void>
  /** SIGKILL, then wait for the exit: a crash. */
  kill: () => Promise<void>
}

/** Spawns `ankagit daemon ARGS --listen 127.0.0.1:PORT` and resolves at its readiness line. */
export async function startDaemon(args: readonly string[], o: { port?: number; env?: Record<string, string> } = {}): Promise<DaemonProcess> {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANKAGIT_')) env[k] = v
  const child = spawn(process.execPath, [CLI_MAIN, 'daemon', ...args, '--listen', `127.0.0.1:${o.port ?? 0}`], {
    env: { ...env, ...cliEnv(), ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  // Unreferenced, so a test that fails before stopping it still lets this process exit (and the exit
  // hook kill it); timers below keep this process alive while a start or a stop is awaited.
  child.unref()
  for (const stream of [child.stdout, child.stderr] as Array<NodeJS.ReadableStream & { unref?: () => void }>) stream.unref?.()
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon printed no readiness line in 60 s: ${stderr}`)), 60_000)
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const m = /^listening on (\S+)$/m.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`daemon exited (${code}) before it was ready: ${stderr}`))
    })
  })
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    const keepAlive = setInterval(() => {}, 1000)
    await exited
    clearInterval(keepAlive)
    children.delete(child)
  }
  return { url, port: Number(new URL(url).port), pid: child.pid!, stderr: () => stderr, stop: () => stopWith('SIGTERM'), kill: () => stopWith('SIGKILL') }
}

export interface CountingProxy {
  /** http://127.0.0.1:PORT, to use in place of the target. */
  url: string
  /** Requests forwarded since the last reset, by method and what they address ("GET pack", "LIST", "PUT ref"). */
  counts: () => Record<string, number>
  reset: () => void
  close: () => Promise<void>
}

/** An HTTP proxy in front of target (an S3 endpoint) that counts the requests it forwards. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target)
  let counts: Record<string, number> = {}
  const agent = new http.Agent({ keepAlive: true })
  const server = http.createServer((req, res) => {
    const label = requestLabel(req.method!, req.url!)
    counts[label] = (counts[label] ?? 0) + 1
    const up = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent }, (upRes) => {
      res.writeHead(upRes.statusCode!, upRes.headers)
      upRes.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    reset: () => (counts = {}),
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      agent.destroy()
    },
  }
}

/** What an S3 request addresses, from its path-style URL (/bucket/prefix/...). */
function requestLabel(method: string, url: string): string {
  const u = new URL(url, 'http://s3')
  if (method === 'GET' && u.searchParams.get('list-type') === '2') return 'LIST'
  const key = decodeURIComponent(u.pathname)
  const what = /\/objects\/packs\/[^/]+\.pack$/.test(key) ? 'pack' : /\/objects\/packs\/[^/]+\.idx$/.test(key) ? 'idx'
    : /\/names\//.test(key) ? 'name' : /\/repos\/[^/]+\/logs\//.test(key) ? 'reflog' : /\/repos\//.test(key) ? 'ref' : 'other'
  return `${method} ${what}`
}

export const CHUNK = 64 << 10

/**
 * A VM directory committed on main: disk.img, sparse, 64 MiB apparent, whose first `chunks` 64 KiB
 * blocks each start with `randomPerChunk` random bytes (default all 64 KiB; the rest zeros, so they
 * compress to about that), making exactly that many chunks, none shared with another VM; and a config.
 */
export async function chunkedVm(dir: string, chunks: number, randomPerChunk = CHUNK): Promise<string> {
  fs.mkdirSync(dir, { recursive: true })
  writeRandomBlocks(path.join(dir, 'disk.img'), 0, chunks, randomPerChunk)
  fs.truncateSync(path.join(dir, 'disk.img'), Math.max(64 << 20, chunks * CHUNK))
  fs.writeFileSync(path.join(dir, 'config.json'), `${JSON.stringify({ name: path.basename(dir), seed: randomBytes(4).toString('hex') })}\n`)
  const o = { cwd: dir, env: cliEnv() }
  await runOk(['init', '-q'], o)
  return commitAll(dir, `${chunks} chunks`)
}

/** Overwrites `count` 64 KiB blocks of a file from block `first`: `random` fresh random bytes, then zeros. */
export function writeRandomBlocks(file: string, first: number, count: number, random = CHUNK): void {
  const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w')
  try {
    const block = Buffer.alloc(CHUNK)
    for (let i = 0; i < count; i++) {
      randomBytes(random).copy(block)
      fs.writeSync(fd, block, 0, CHUNK, (first + i) * CHUNK)
    }
  } finally {
    fs.closeSync(fd)
  }
}

/** Commits the VM directory; returns the commit id. */
export async function commitAll(dir: string, message: string): Promise<string> {
  return JSON.parse((await runOk(['commit', '-m', message, '--json'], { cwd: dir, env: cliEnv() })).stdout).id as string
}

/** The nginx binary; throws when it is missing, so S3 runs without nginx fail instead of skipping unseen. */
export function requireNginx(): string {
  const binary = findNginx()
  if (!binary) throw new Error('nginx is not installed (apt-get install -y --no-install-recommends nginx): the scale-out tests need it')
  return binary
}
