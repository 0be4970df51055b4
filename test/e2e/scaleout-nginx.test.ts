/**
 * The scaled-out registry for real: two `ankagit daemon --store s3://…` replicas on one bucket
 * (Ceph RGW in CI) behind nginx with TLS (helpers/nginx.ts: the CI template rendered with this
 * run's ports, and a certificate from a throwaway CA). Push and clone through nginx; racing pushes through different
 * replicas (exactly one wins); a replica killed mid-push and the push retried through nginx, which
 * sends it to the other. Needs ANKAGIT_TEST_S3 (skipped without it) and nginx (fails without it).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { CLI_MAIN, run, runOk } from '../helpers/cli.js'
import { blake3File } from '../helpers/sparse.js'
import { tmpDir } from '../helpers/tmp.js'
import { s3Endpoint, skipS3, testBucket } from '../helpers/s3.js'
import { type TestNginx, freePort, startNginx } from '../helpers/nginx.js'
import { makeTlsFiles } from '../helpers/tls.js'
import { type DaemonProcess, chunkedVm, cliEnv, commitAll, requireNginx, startDaemon, writeRandomBlocks } from './scaleout-cluster.js'

const NAME = 'scale-out: two S3 replicas behind nginx TLS'

interface Cluster {
  dir: string
  replicas: DaemonProcess[]
  nginx: TestNginx
  env: Record<string, string>
}

let cluster: Cluster | undefined

async function start(): Promise<Cluster> {
  const dir = tmpDir('ankagit-scaleout-')
  const location = (await testBucket()).url('scaleout')
  const replicas = [await startDaemon(['--store', location]), await startDaemon(['--store', location])]
  const tls = makeTlsFiles(fs.mkdtempSync(path.join(dir, 'tls-')))
  const nginx = await startNginx({ binary: requireNginx(), dir: path.join(dir, 'nginx'), cert: tls.cert, key: tls.key, port: await freePort(), upstreams: replicas.map((r) => `127.0.0.1:${r.port}`) })
  return { dir, replicas, nginx, env: cliEnv({ ANKAGIT_CA_FILE: tls.caCert }) }
}

if (!s3Endpoint()) {
  skipS3(NAME)
} else {
  const test = suite(NAME)
  const c = () => cluster!
  const inDir = (cwd: string) => ({ cwd, env: c().env })

  test.before(async () => {
    cluster = await start()
  })

  test.after(async () => {
    await cluster?.nginx.stop()
    for (const r of cluster?.replicas ?? []) await r.stop()
  })

  test('push and clone through nginx; both replicas serve the same refs', async () => {
    const vm = path.join(c().dir, 'vm')
    const v1 = await chunkedVm(vm, 40)
    const url = `${c().nginx.url}/vm`
    const pushed = JSON.parse((await runOk(['push', url, 'main', '--json'], inDir(vm))).stdout)
    assert.is(pushed.refs[0].status, 'created')
    assert.is(pushed.sent.chunkObjects, 41, '40 chunks of disk.img and config.json')
    const clone = path.join(c().dir, 'clone')
    const cloned = JSON.parse((await runOk(['clone', url, clone, '--json'], inDir(c().dir))).stdout)
    assert.is(cloned.checkout.id, v1)
    assert.is(blake3File(path.join(clone, 'disk.img')), blake3File(path.join(vm, 'disk.img')))

    // A second version pushed through one replica is what a pull through nginx gets.
    writeRandomBlocks(path.join(vm, 'disk.img'), 100, 5)
    const v2 = await commitAll(vm, 'v2')
    await runOk(['push', `${c().replicas[1]!.url}/vm`, 'main'], inDir(vm))
    for (const r of c().replicas) {
      const refs = (await runOk(['ls-remote', `${r.url}/vm`], inDir(c().dir))).stdout
      assert.match(refs, `${v2}\trefs/heads/main`)
    }
    const pulled = JSON.parse((await runOk(['pull', '--json'], inDir(clone))).stdout)
    assert.is(pulled.fetch.chunks.wanted, 5, 'the pull fetched only the 5 changed chunks')
    assert.is(blake3File(path.join(clone, 'disk.img')), blake3File(path.join(vm, 'disk.img')))
  })

  test('racing pushes through different replicas: exactly one wins each race', async () => {
    const base = path.join(c().dir, 'race-base')
    await chunkedVm(base, 8)
    await runOk(['push', `${c().nginx.url}/race`, 'main'], inDir(base))
    const rounds = 4
    let tip = 'main'
    for (let round = 0; round < rounds; round++) {
      // Each racer starts from the last winner. Odd rounds create a new branch (both expect none),
      // even rounds move main (both expect its tip).
      const racers = [0, 1].map((i) => path.join(c().dir, `racer-${round}-${i}`))
      for (const dir of racers) await runOk(['clone', '-q', '-b', tip, `${c().nginx.url}/race`, dir], inDir(c().dir))
      const ref = round % 2 ? `refs/heads/new-${round}` : 'refs/heads/main'
      const commits = await Promise.all(racers.map(async (dir, i) => {
        writeRandomBlocks(path.join(dir, 'disk.img'), 50 + round, 2)
        return commitAll(dir, `round ${round} from racer ${i}`)
      }))
      const results = await Promise.all(racers.map((dir, i) => run(['push', `${c().replicas[i]!.url}/race`, `HEAD:${ref}`], inDir(dir))))
      const winners = results.flatMap((r, i) => (r.code === 0 ? [i] : []))
      assert.is(winners.length, 1, `round ${round}: exactly one push wins (${results.map((r) => `${r.code} ${r.stderr.trim()}`).join(' | ')})`)
      const loser = results[1 - winners[0]!]!
      assert.is(loser.code, 5, `the loser reports a ref conflict: ${loser.stderr}`)
      for (const r of c().replicas) assert.match((await runOk(['ls-remote', `${r.url}/race`], inDir(c().dir))).stdout, `${commits[winners[0]!]}\t${ref}`)
      tip = ref.slice('refs/heads/'.length)
    }
    console.log(`scale-out races: ${rounds} rounds, one winner in each`)
  })

  test('a replica killed mid-push: the push retried through nginx completes on the other', async () => {
    const vm = path.join(c().dir, 'big')
    const commit = await chunkedVm(vm, 600)
    const victim = c().replicas[0]!
    // Push straight to the victim and SIGKILL it once over half of the data has gone up.
    const first = await pushUntil(vm, `${victim.url}/big`, c().env, 0.6, () => victim.kill())
    assert.ok(first.code !== 0, 'the push to the killed replica failed')
    const retry = JSON.parse((await runOk(['push', `${c().nginx.url}/big`, 'main', '--json'], inDir(vm))).stdout)
    assert.is(retry.refs[0].status, 'created')
    console.log(`scale-out kill: SIGKILL when the client had sent ${(first.uploaded / 2 ** 20).toFixed(1)} of ${(first.total / 2 ** 20).toFixed(1)} MiB, the retry through nginx sent ${retry.sent.chunkObjects} of 601 chunks (${(retry.sent.bytes / 2 ** 20).toFixed(1)} MiB)`)
    const clone = path.join(c().dir, 'big-clone')
    const cloned = JSON.parse((await runOk(['clone', `${c().nginx.url}/big`, clone, '--json'], inDir(c().dir))).stdout)
    assert.is(cloned.checkout.id, commit)
    assert.is(blake3File(path.join(clone, 'disk.img')), blake3File(path.join(vm, 'disk.img')))
    await runOk(['fsck', '-q'], inDir(clone))
  })

  test.run()
}

/** Runs a push with JSON progress and calls act() once the upload passes `fraction` of its bytes. */
function pushUntil(cwd: string, url: string, env: Record<string, string>, fraction: number, act: () => Promise<void>): Promise<{ code: number | null; uploaded: number; total: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_MAIN, 'push', url, 'main', '--progress', 'json'], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
    let acted: Promise<void> | undefined
    let uploaded = 0
    let total = 0
    let buffered = ''
    child.stderr.on('data', (d) => {
      buffered += d
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        const e = line.startsWith('{') ? (JSON.parse(line) as { phase?: string; done?: number; total?: number }) : {}
        if (e.phase !== 'upload' || !e.total) continue
        total = e.total
        if (!acted && e.done! >= fraction * e.total) {
          uploaded = e.done!
          acted = act()
        }
      }
    })
    child.on('close', async (code) => {
      await acted
      resolve({ code, uploaded, total })
    })
  })
}
