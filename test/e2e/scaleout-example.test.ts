/**
 * examples/scale-out/ as a user runs it: start.sh with the example nginx.conf and auth file, two
 * replicas on an S3 store, then a push with the writer token and a clone with the reader token
 * through nginx, a push with the reader token refused, and SIGTERM stopping every process. Needs
 * ANKAGIT_TEST_S3 (skipped without it) and nginx (fails without it).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { type ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as path from 'node:path'
import { CLI_MAIN, REPO_ROOT, run, runOk } from '../helpers/cli.js'
import { blake3File } from '../helpers/sparse.js'
import { tmpDir } from '../helpers/tmp.js'
import { s3Endpoint, skipS3, testBucket } from '../helpers/s3.js'
import { freePort } from '../helpers/nginx.js'
import { chunkedVm, cliEnv, requireNginx } from './scaleout-cluster.js'

const NAME = 'examples/scale-out: start.sh, nginx.conf, auth.example'
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'scale-out')
const WRITER = 'templates-0123456789abcdef'
const READER = 'build-hosts-0123456789abcdef'

/** Two consecutive free ports, for FIRST_PORT and the second replica. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const p = await freePort()
    if (await isFree(p + 1)) return p
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), resolve(false)))
    s.once('error', () => resolve(true))
  })
}

if (!s3Endpoint()) {
  skipS3(NAME)
} else {
  const test = suite(NAME)
  let script: ChildProcess | undefined

  test.after(() => {
    if (script && script.exitCode === null) script.kill('SIGKILL')
  })

  test('the example registry serves pushes and clones with its tokens, and stops on SIGTERM', async () => {
    const dir = tmpDir('ankagit-example-')
    const [listen, first] = [await freePort(), await freePortPair()]
    const env = {
      ...process.env,
      ...cliEnv(),
      ANKAGIT_STORE: (await testBucket()).url('example'),
      STATE_DIR: path.join(dir, 'state'),
      LISTEN: `127.0.0.1:${listen}`,
      FIRST_PORT: String(first),
      ANKAGIT: `${process.execPath} ${CLI_MAIN}`,
      // start.sh runs nginx from PATH; Debian puts it in /usr/sbin, not on every user's PATH.
      PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:${path.dirname(requireNginx())}`,
    }
    script = spawn('bash', [path.join(EXAMPLE, 'start.sh')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    script.stderr!.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => script!.once('exit', (code) => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      let out = ''
      script!.stdout!.on('data', (d) => {
        out += d
        if (out.includes(`ready https://127.0.0.1:${listen}\n`)) resolve()
      })
      void exited.then((code) => reject(new Error(`start.sh exited (${code}) before it was ready: ${stderr}`)))
    })

    const url = `https://127.0.0.1:${listen}/macos-runner`
    const clientEnv = cliEnv({ ANKAGIT_CA_FILE: path.join(dir, 'state', 'cert.pem') })
    const vm = path.join(dir, 'vm')
    const commit = await chunkedVm(vm, 20)
    const denied = await run(['push', url, 'main', '--token', READER], { cwd: vm, env: clientEnv })
    assert.is.not(denied.code, 0, 'a read token cannot push')
    assert.match(denied.stderr, /may not write/)
    await runOk(['push', url, 'main', '--token', WRITER], { cwd: vm, env: clientEnv })
    const clone = path.join(dir, 'clone')
    const cloned = JSON.parse((await runOk(['clone', url, clone, '--token', READER, '--json'], { cwd: dir, env: clientEnv })).stdout)
    assert.is(cloned.checkout.id, commit)
    assert.is(blake3File(path.join(clone, 'disk.img')), blake3File(path.join(vm, 'disk.img')))
    assert.match(fs.readFileSync(path.join(dir, 'state', 'nginx-access.log'), 'utf8'), /POST \/macos-runner\/upload/)

    script.kill('SIGTERM')
    assert.is(await exited, 0, stderr)
    for (const port of [listen, first, first + 1]) assert.ok(await refusesConnections(port), `port ${port} is closed after SIGTERM`)
  })

  test.run()
}
