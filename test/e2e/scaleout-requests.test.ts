/**
 * What a push and a clone cost on an S3 registry: requests from the client to the daemon (its own
 * count) and from the daemon to S3 (a counting proxy between the daemon and RGW), for a VM of 160
 * incompressible chunks and one of 1280 chunks that compress 8:1 (the same 10 MiB stored and sent).
 * Both are batched: a push costs the same requests, a clone one ranged GET per stored frame (32
 * chunks of raw data) at most, never one per chunk. Then push and
 * clone throughput of one VM to a daemon on RGW and to one on a local root, in the same run,
 * printed for the record (never asserted). Needs ANKAGIT_TEST_S3; skipped without it.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { s3Endpoint, skipS3, testBucket } from '../helpers/s3.js'
import { FRAME_TARGET } from '../../src/pack/frame.js'
import { CHUNK, type CountingProxy, type DaemonProcess, chunkedVm, cliEnv, startCountingProxy, startDaemon } from './scaleout-cluster.js'

const NAME = 'scale-out: requests per push and clone, throughput'
const env = cliEnv()
const inDir = (cwd: string) => ({ cwd, env })

interface Cost {
  client: number
  s3: Record<string, number>
  s3Total: number
}

if (!s3Endpoint()) {
  skipS3(NAME)
} else {
  const test = suite(NAME)
  const started: DaemonProcess[] = []
  let proxy: CountingProxy | undefined

  test.after(async () => {
    for (const d of started) await d.stop()
    await proxy?.close()
  })

  test('requests per push and per clone do not grow with the number of chunks', async () => {
    const bucket = await testBucket()
    proxy = await startCountingProxy(bucket.endpoint)
    const location = `s3://${bucket.bucket}/requests?endpoint=${encodeURIComponent(proxy.url)}&region=us-east-1`
    const daemon = await startDaemon(['--store', location])
    started.push(daemon)
    const dir = tmpDir('ankagit-scaleout-requests-')

    const measure = async (chunks: number, randomPerChunk: number): Promise<{ push: Cost; clone: Cost }> => {
      const vm = path.join(dir, `vm-${chunks}`)
      await chunkedVm(vm, chunks, randomPerChunk)
      const url = `${daemon.url}/vm-${chunks}`
      proxy!.reset()
      const pushed = JSON.parse((await runOk(['push', url, 'main', '--json'], inDir(vm))).stdout)
      const push = cost(pushed.stats.requests, proxy!.counts())
      proxy!.reset()
      const cloned = JSON.parse((await runOk(['clone', url, path.join(dir, `clone-${chunks}`), '--json'], inDir(dir))).stdout)
      const clone = cost(cloned.fetch.stats.requests, proxy!.counts())
      assert.is(pushed.sent.chunkObjects, chunks + 1)
      assert.is(cloned.fetch.chunks.wanted, chunks + 1)
      const mib = (pushed.sent.bytes / 2 ** 20).toFixed(1)
      console.log(`requests, ${chunks} chunks (${mib} MiB sent): push ${push.client} to the daemon, ${push.s3Total} to S3 ${JSON.stringify(push.s3)}; clone ${clone.client} to the daemon, ${clone.s3Total} to S3 ${JSON.stringify(clone.s3)}`)
      return { push, clone }
    }
    await measure(8, CHUNK)
    const few = await measure(160, CHUNK)
    const many = await measure(1280, CHUNK / 8)
    // Eight times the chunks in the same bytes: the same requests from the client, and for a push the
    // same to S3 (packs, their indexes, refs). A clone reads stored frames, 2 MiB of raw data (32
    // chunks) each, by ranged GETs: at most one per frame plus the metadata frames, never one per chunk.
    assert.is(many.push.client, few.push.client)
    assert.is(many.clone.client, few.clone.client)
    assert.ok(many.push.s3Total <= few.push.s3Total + 2, `push: ${many.push.s3Total} S3 requests for 1280 chunks, ${few.push.s3Total} for 160`)
    for (const [chunks, c] of [[160, few], [1280, many]] as const) {
      const frames = Math.ceil((chunks * CHUNK) / FRAME_TARGET)
      const packGets = c.clone.s3['GET pack'] ?? 0
      assert.ok(packGets <= frames + 3, `clone of ${chunks} chunks: ${packGets} ranged GETs for ${frames} frames`)
      assert.ok(c.clone.s3Total - packGets <= few.clone.s3Total - (few.clone.s3['GET pack'] ?? 0), 'the rest of a clone (listing, refs) is the same')
    }
  })

  test('throughput of push and clone: RGW vs a local root, same run (printed, not asserted)', async () => {
    const dir = tmpDir('ankagit-scaleout-throughput-')
    const s3 = await startDaemon(['--store', (await testBucket()).url('throughput')])
    const local = await startDaemon(['--root', path.join(dir, 'root')])
    started.push(s3, local)
    const vm = path.join(dir, 'vm')
    await chunkedVm(vm, 640)
    for (const [label, d] of [['RGW', s3], ['local root', local]] as const) {
      const t0 = process.hrtime.bigint()
      const pushed = JSON.parse((await runOk(['push', `${d.url}/vm`, 'main', '--json'], inDir(vm))).stdout)
      const t1 = process.hrtime.bigint()
      const cloned = JSON.parse((await runOk(['clone', `${d.url}/vm`, path.join(dir, `clone-${d.port}`), '--json'], inDir(dir))).stdout)
      const t2 = process.hrtime.bigint()
      assert.is(pushed.sent.chunkObjects, 641)
      const mbps = (bytes: number, from: bigint, to: bigint) => (bytes / 1e6 / (Number(to - from) / 1e9)).toFixed(0)
      console.log(`throughput, ${label}: push ${(pushed.sent.bytes / 2 ** 20).toFixed(1)} MiB at ${mbps(pushed.sent.bytes, t0, t1)} MB/s, clone at ${mbps(cloned.fetch.chunks.bytes, t1, t2)} MB/s (CLI start-up included)`)
    }
  })

  test.run()
}

function cost(client: number, s3: Record<string, number>): Cost {
  return { client, s3, s3Total: Object.values(s3).reduce((a, b) => a + b, 0) }
}
