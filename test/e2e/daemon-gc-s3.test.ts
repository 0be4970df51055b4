/**
 * gc of a registry on S3 (`ankagit gc --store s3://…`) while two daemon replicas serve it: a deleted
 * tag's data is freed exactly, and gc beside pushes through the other replica loses nothing
 * (daemon-gc-scenarios.ts). Needs ANKAGIT_TEST_S3 (CI starts Ceph RGW); skipped without it.
 */
import { suite } from 'uvu'
import { randomBytes } from 'node:crypto'
import { tmpDir } from '../helpers/tmp.js'
import { s3Endpoint, skipS3, testBucket } from '../helpers/s3.js'
import { type DaemonProcess, startDaemon } from './scaleout-cluster.js'
import { type GcSetup, gcBesidePushLosesNothing, tagDeletionFreesExactly } from './daemon-gc-scenarios.js'

/** Seconds; S3 keeps Last-Modified in whole seconds, and these pushes take one or two. */
const GRACE = 6

const daemons: DaemonProcess[] = []

async function setup(label: string): Promise<GcSetup> {
  const location = (await testBucket()).url(`${label}-${randomBytes(3).toString('hex')}`)
  const replicas = [await startDaemon(['--store', location]), await startDaemon(['--store', location])]
  daemons.push(...replicas)
  return {
    location,
    daemons: replicas,
    dir: tmpDir(`ankagit-daemon-gc-s3-${label}-`),
    grace: GRACE,
    ageStore: () => new Promise((resolve) => setTimeout(resolve, (GRACE + 1.5) * 1000)),
  }
}

if (!s3Endpoint()) {
  skipS3('daemon gc: S3 registry, two replicas')
} else {
  const test = suite('daemon gc: S3 registry, two replicas')

  test.after(async () => {
    for (const d of daemons) await d.stop()
  })

  test('deleting a tag frees exactly the packs only it reached; the dry run reports the same bytes', async () => {
    await tagDeletionFreesExactly(await setup('tag'))
  })

  test('gc beside pushes through the other replica (one reusing a deleted tag\'s chunks) loses nothing', async () => {
    const r = await gcBesidePushLosesNothing(await setup('race'))
    console.log(`daemon gc, S3, beside 2 pushes: ${r.bytesFreed.length} gc runs (bytes freed: ${r.bytesFreed.join(', ')}), ${r.gcRefused} refused, ${r.refusedPushes} push(es) refused and retried`)
  })

  test.run()
}
