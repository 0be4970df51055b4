/**
 * The pieces of a scaled-out registry for the scale-out and daemon gc end-to-end tests: `ankagit
 * daemon` processes (spawned from the built CLI, ready when they print their one line), nginx in
 * front of them with TLS (the CI template rendered with this run's ports and a certificate made by
 * openssl), a request-counting HTTP proxy, and VM directories with an exact number of chunks.
 * Every process started here is killed by pid when the test process exits.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'
import * as path from 'node:path'
import { CLI_MAIN, REPO_ROOT, runOk } from '../helpers/cli.js'
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
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const m = /^listening on (\S+)$/m.exec(out)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`daemon exited (${code}) before it was ready: ${stderr}`)))
  })
  const stopWith = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
    children.delete(child)
  }
  return { url, port: Number(new URL(url).port), pid: child.pid!, stderr: () => stderr, stop: () => stopWith('SIGTERM'), kill: () => stopWith('SIGKILL') }
}

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A self-signed certificate for 127.0.0.1 (EC, one day), which clients pass as their CA file. */
export function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem')
  const key = path.join(dir, 'key.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' })
  return { cert, key }
}

/** The CI's nginx template (.ci/services/nginx.conf.tmpl) with this run's folder, port and replicas. */
export function renderNginxConf(template: string, o: { dir: string; port: number; upstreams: readonly number[] }): string {
  const servers = o.upstreams.map((p) => `        server 127.0.0.1:${p};`).join('\n')
  const out = template
    .replace(/upstream ankagit \{[^}]*?(\n\s*keepalive)/, `upstream ankagit {\n${servers}$1`)
    .replace(/listen 127\.0\.0\.1:\d+ ssl;/, `listen 127.0.0.1:${o.port} ssl;`)
    .replaceAll('__W__', o.dir)
  if (out.includes('8443') || !out.includes(`127.0.0.1:${o.upstreams[0]}`)) throw new Error('nginx template changed: cannot render it')
  return out
}

export interface Nginx {
  url: string
  stop: () => Promise<void>
}

/** Starts nginx (foreground, as a child) from a config whose paths live under dir; resolves once it accepts connections. */
export async function startNginx(dir: string, conf: string, port: number): Promise<Nginx> {
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, 'nginx', 'tmp', sub), { recursive: true })
  // nginx workers run as 'nobody' when started by root: they must be able to reach the temp folders.
  for (let d = dir; d !== path.dirname(d) && d.startsWith('/tmp/'); d = path.dirname(d)) fs.chmodSync(d, 0o755)
  const file = path.join(dir, 'nginx.conf')
  fs.writeFileSync(file, conf)
  const child = spawn(nginxBinary(), ['-c', file, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] })
  children.add(child)
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${readIfExists(path.join(dir, 'nginx', 'error.log'))}`)
    if (await canConnect(port)) break
    if (i > 100) throw new Error('nginx did not start listening')
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url: `https://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGQUIT')
      await exited
      children.delete(child)
    },
  }
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
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

/** The repository's nginx template, for renderNginxConf. */
export function nginxTemplate(): string {
  return fs.readFileSync(path.join(REPO_ROOT, '.ci', 'services', 'nginx.conf.tmpl'), 'utf8')
}

/** The nginx binary: on PATH or in /usr/sbin (Debian's place, not on every user's PATH). CI installs
 *  it; where S3 tests run without it, the scale-out tests fail saying so rather than skip unseen. */
export function nginxBinary(): string {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' })
      return candidate
    } catch {
      // try the next one
    }
  }
  throw new Error('nginx is not installed (apt-get install -y --no-install-recommends nginx): the scale-out tests need it')
}
