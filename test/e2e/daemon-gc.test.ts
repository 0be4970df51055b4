/**
 * gc of a daemon root on disk (`ankagit gc --root DIR`) while its daemon keeps serving: a deleted
 * tag's data is freed exactly, and gc beside pushes loses nothing (daemon-gc-scenarios.ts).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { type DaemonProcess, startDaemon } from './scaleout-cluster.js'
import { type GcSetup, gcBesidePushLosesNothing, tagDeletionFreesExactly } from './daemon-gc-scenarios.js'

const test = suite('daemon gc: local root')
const daemons: DaemonProcess[] = []

async function setup(label: string): Promise<GcSetup> {
  const dir = tmpDir(`ankagit-daemon-gc-${label}-`)
  const root = path.join(dir, 'root')
  const daemon = await startDaemon(['--root', root])
  daemons.push(daemon)
  return {
    location: root,
    daemons: [daemon],
    dir,
    grace: 3600,
    // Two hours back: older than the default grace period, without waiting for it.
    ageStore: async () => {
      const packs = path.join(root, 'objects', 'packs')
      const then = Date.now() / 1000 - 7200
      for (const f of fs.readdirSync(packs, { recursive: true }) as string[]) fs.utimesSync(path.join(packs, f), then, then)
    },
  }
}

test.after(async () => {
  for (const d of daemons) await d.stop()
})

test('deleting a tag frees exactly the packs only it reached; the dry run reports the same bytes', async () => {
  await tagDeletionFreesExactly(await setup('tag'))
})

test('gc beside pushes (one reusing a deleted tag\'s chunks) loses nothing', async () => {
  const r = await gcBesidePushLosesNothing(await setup('race'))
  console.log(`daemon gc, local root, beside 2 pushes: ${r.bytesFreed.length} gc runs (bytes freed: ${r.bytesFreed.join(', ')}), ${r.gcRefused} refused, ${r.refusedPushes} push(es) refused and retried`)
})

test('gc --root refuses a folder that is not a daemon root, and --root with --store', async () => {
  const dir = tmpDir('ankagit-daemon-gc-bad-')
  const r = await run(['gc', '--root', dir], { cwd: dir })
  assert.is(r.code, 10, r.stderr)
  assert.match(r.stderr, /^ankagit: '.*' is not a daemon root/)
  assert.is(fs.readdirSync(dir).length, 0, 'nothing was created')
  const both = await run(['gc', '--root', dir, '--store', 's3://bucket'], { cwd: dir })
  assert.is(both.code, 2, both.stderr)
})

test.run()
