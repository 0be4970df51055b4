/**
 * kill -9 at every crash point of `ankagit gc` on a store with garbage of every kind gc handles: a
 * pack of a deleted branch whose frames are partly live (rewritten), whole dead packs (deleted), an
 * unindexed pack and a temp file left by earlier crashes. After each kill: fsck passes and reaches
 * exactly as many objects as before gc (none lost); a retried gc completes, and the store ends up
 * holding exactly the bytes an uninterrupted gc leaves.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { makeSparseFile } from '../helpers/sparse.js'
import { copyTree, writeVersion1, writeVersion2, MiB } from './bundle.js'
import { type FsckReport, assertFsckPasses, killSchedule, label, reportKills, runKilled, tracePoints } from './harness.js'

const test = suite('crash: kill -9 during gc')
const root = tmpDir('ankagit-crash-gc-')

async function makeTemplate(): Promise<string> {
  const dir = path.join(root, 'template')
  fs.mkdirSync(dir)
  writeVersion1(dir)
  await runOk(['init', '-q'], { cwd: dir })
  await runOk(['commit', '-q', '-m', 'v1'], { cwd: dir })
  // A branch that will be deleted: its data pack holds x.img (kept by main later) and y.img (garbage).
  await runOk(['branch', 'tmp'], { cwd: dir })
  await runOk(['checkout', '-q', 'tmp'], { cwd: dir })
  const x = (d: string) => makeSparseFile(path.join(d, 'Data', 'x.img'), 4 * MiB, [{ offset: 0, length: 4 * MiB, seed: 401 }])
  x(dir)
  makeSparseFile(path.join(dir, 'Data', 'y.img'), 8 * MiB, [{ offset: 0, length: 8 * MiB, seed: 402 }])
  await runOk(['commit', '-q', '-m', 'x and y'], { cwd: dir })
  // ...and a commit whose data and metadata packs hold nothing anything else needs (deleted whole).
  makeSparseFile(path.join(dir, 'Data', 'z.img'), 2 * MiB, [{ offset: 0, length: 2 * MiB, seed: 403 }])
  await runOk(['commit', '-q', '-m', 'z'], { cwd: dir })
  await runOk(['checkout', '-q', 'main'], { cwd: dir })
  writeVersion2(dir)
  x(dir)
  await runOk(['commit', '-q', '-m', 'v2 with x'], { cwd: dir })
  await runOk(['branch', '-q', '-D', 'tmp'], { cwd: dir })
  // Reflogs would keep the deleted branch alive (as git's do until they expire): drop HEAD's.
  fs.rmSync(path.join(dir, '.ankagit', 'logs', 'HEAD'))
  // Debris of earlier crashes: an unindexed pack and a temp file.
  const objects = path.join(dir, '.ankagit', 'objects')
  fs.writeFileSync(path.join(objects, 'packs', `${'ab'.repeat(32)}.pack`), Buffer.from('AKPK\0\0\0\x01 torn'))
  fs.mkdirSync(path.join(objects, 'tmp'), { recursive: true })
  fs.writeFileSync(path.join(objects, 'tmp', 'index.0123456789ab.tmp'), 'partial')
  return dir
}

function storeBytes(dir: string): number {
  const packs = path.join(dir, '.ankagit', 'objects', 'packs')
  return fs.readdirSync(packs).reduce((a, f) => a + fs.statSync(path.join(packs, f)).size, 0)
}

function sameReach(a: FsckReport, b: FsckReport): boolean {
  const r = (x: FsckReport) => JSON.stringify([x.roots, (x as unknown as { metadataObjects: number }).metadataObjects, (x as unknown as { chunkRefs: number }).chunkRefs])
  return r(a) === r(b)
}

test('every crash point of gc loses nothing; a retry frees exactly what a clean run frees', async () => {
  const template = await makeTemplate()
  const before = await assertFsckPasses(template, 'before gc')

  const probe = path.join(root, 'probe')
  copyTree(template, probe)
  const { counts, result } = await tracePoints(['gc', '--json', '--grace', '0'], probe, root)
  assert.is(result.code, 0, result.stderr)
  const clean = JSON.parse(result.stdout) as { packsRewritten: unknown[]; packsDeleted: unknown[]; unindexedPacksRemoved: unknown[]; debrisRemoved: unknown[] }
  assert.ok(clean.packsRewritten.length >= 1, `the scenario rewrites a pack: ${result.stdout}`)
  assert.ok(clean.packsDeleted.length >= 1, 'the scenario deletes a pack')
  assert.is(clean.unindexedPacksRemoved.length, 1)
  assert.is(clean.debrisRemoved.length, 1)
  const cleanBytes = storeBytes(probe)
  assert.ok(sameReach(await assertFsckPasses(probe, 'after a clean gc'), before), 'a clean gc keeps every reachable object')
  fs.rmSync(probe, { recursive: true, force: true })

  const kills = killSchedule(counts, 5)
  let survived = 0
  for (const kill of kills) {
    const dir = path.join(root, `case-${label(kill).replace(':', '-')}`)
    copyTree(template, dir)
    const ctx = `gc killed at ${label(kill)}`
    try {
      await runKilled(['gc', '--grace', '0'], dir, kill)
      assert.ok(sameReach(await assertFsckPasses(dir, ctx), before), `${ctx}: objects reachable before gc are no longer reachable`)
      await runOk(['gc', '-q', '--grace', '0'], { cwd: dir })
      const after = await assertFsckPasses(dir, `${ctx}, after the retried gc`)
      assert.ok(sameReach(after, before), `${ctx}: the retried gc lost objects`)
      assert.equal(after.notices, [], `${ctx}: debris left`)
      assert.is(storeBytes(dir), cleanBytes, `${ctx}: the store holds ${storeBytes(dir)} bytes after the retry, a clean gc leaves ${cleanBytes}`)
      survived++
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  reportKills('gc', kills, survived)
})

test.run()
