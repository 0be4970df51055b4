/**
 * nginx as a TLS-terminating reverse proxy in front of daemons, as deployed (.ci/services/
 * nginx.conf.tmpl, a copy of the team's shared template): the template is rendered with a folder,
 * a port and upstream addresses of the test's own, and nginx runs in the foreground as a child
 * process that is killed when the test process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import { REPO_ROOT } from './cli.js'

export const NGINX_TEMPLATE = path.join(REPO_ROOT, '.ci', 'services', 'nginx.conf.tmpl')

/** The nginx binary, or undefined when it is not installed (CI installs Debian's nginx package). */
export function findNginx(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/sbin'])) {
    const p = path.join(dir, 'nginx')
    try {
      fs.accessSync(p, fs.constants.X_OK)
      return p
    } catch {
      // not here
    }
  }
  return undefined
}

export interface NginxOptions {
  binary: string
  /** Working folder: config, logs, temp files; the template reads cert.pem and key.pem from it. */
  dir: string
  cert: string
  key: string
  /** Port to listen on (127.0.0.1). */
  port: number
  /** host:port of each daemon replica. */
  upstreams: string[]
}

export interface TestNginx {
  url: string
  stop(): Promise<void>
  errorLog(): string
}

/** Renders the template: the folder, the listening port, one `server` line per upstream. */
export function renderNginxConf(template: string, o: Pick<NginxOptions, 'dir' | 'port' | 'upstreams'>): string {
  const servers = /^(\s*)server 127\.0\.0\.1:9000;.*\n\s*server 127\.0\.0\.1:9001;\n/m
  const m = servers.exec(template)
  if (!m) throw new Error(`nginx template has no upstream lines for 9000 and 9001: ${NGINX_TEMPLATE}`)
  const lines = o.upstreams.map((u) => `${m[1]}server ${u};\n`).join('')
  const listen = 'listen 127.0.0.1:8443 ssl;'
  if (!template.includes(listen)) throw new Error(`nginx template has no '${listen}': ${NGINX_TEMPLATE}`)
  return template.replace(servers, lines).replace(listen, `listen 127.0.0.1:${o.port} ssl;`).replaceAll('__W__', o.dir)
}

const live = new Set<ChildProcess>()
let hooked = false

export async function startNginx(o: NginxOptions): Promise<TestNginx> {
  fs.mkdirSync(path.join(o.dir, 'nginx', 'tmp'), { recursive: true })
  // Started as root, nginx runs its workers as nobody, who must reach the temp folders in dir.
  fs.chmodSync(o.dir, 0o755)
  fs.copyFileSync(o.cert, path.join(o.dir, 'cert.pem'))
  fs.copyFileSync(o.key, path.join(o.dir, 'key.pem'))
  const conf = path.join(o.dir, 'nginx.conf')
  fs.writeFileSync(conf, renderNginxConf(fs.readFileSync(NGINX_TEMPLATE, 'utf8'), o))
  const errorLog = path.join(o.dir, 'nginx', 'error.log')
  // -e: nginx opens its default error log (/var/log/nginx) before it reads the config otherwise.
  const child = spawn(o.binary, ['-c', conf, '-p', o.dir, '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] })
  live.add(child)
  // Unreferenced, so a test that fails before stopping it still lets this process exit (and the exit hook kill it).
  child.unref()
  ;(child.stderr as NodeJS.ReadableStream & { unref?: () => void }).unref?.()
  if (!hooked) {
    hooked = true
    process.on('exit', () => {
      for (const c of live) c.kill('SIGKILL')
    })
  }
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
  const exited = new Promise<void>((resolve) => child.on('exit', () => {
    live.delete(child)
    resolve()
  }))
  const readLog = () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '')
  for (let i = 0; !(await canConnect(o.port)); i++) {
    if (child.exitCode !== null || i > 500) {
      child.kill('SIGKILL')
      throw new Error(`nginx did not start listening on ${o.port}\nstderr: ${stderr}\nerror.log: ${readLog()}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  return {
    url: `https://127.0.0.1:${o.port}`,
    errorLog: readLog,
    stop: async () => {
      // SIGQUIT is nginx's graceful shutdown; its workers exit with the master.
      if (child.exitCode === null) child.kill('SIGQUIT')
      const t = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(t)
    },
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

/** A port that was free a moment ago (bound to port 0 and released), for servers that need one in their config. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}
