import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit fsck')
let repo: VmRepo
let packs: string

test.before(async () => {
  repo = await vmRepo('fsck')
  packs = path.join(repo.dir, '.ankagit', 'objects', 'packs')
})

/** The largest file of the store with this extension: the first commit's data pack, or its index. */
function largest(ext: string): string {
  return fs.readdirSync(packs).filter((f) => f.endsWith(ext)).map((f) => path.join(packs, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!
}

/** Runs fn with one bit of file flipped at offset, then puts the byte back. */
async function withFlippedByte(file: string, offset: number, fn: () => Promise<void>): Promise<void> {
  const original = fs.readFileSync(file)
  const bad = Buffer.from(original)
  bad[offset]! ^= 0x04
  fs.writeFileSync(file, bad)
  try {
    await fn()
  } finally {
    fs.writeFileSync(file, original)
  }
}

test('an intact repository passes with a summary, and --json says ok', async () => {
  const r = await repo.run(['fsck'])
  assert.match(r.stdout, /^checked \d+ packs \(.+, \d+ objects\), \d+ trees and commits and \d+ chunk references from \d+ roots/)
  const json = JSON.parse((await repo.run(['fsck', '--json'])).stdout)
  assert.equal([json.ok, json.problems], [true, []])
  assert.ok(json.chunkRefs > 10)
})

test('a flipped byte anywhere in a pack is found: header, frame headers and data, the last byte', async () => {
  const pack = largest('.pack')
  const name = path.basename(pack, '.pack')
  const size = fs.statSync(pack).size
  for (const offset of [0, 5, 8, 12, 300, Math.floor(size / 3), Math.floor(size / 2), size - 1]) {
    await withFlippedByte(pack, offset, async () => {
      const r = await run(['fsck'], { cwd: repo.dir })
      assertCliError(r, 6, /^ankagit: fsck found \d+ problems?$/)
      assert.ok(r.stdout.includes(`pack ${name} is corrupt`), `offset ${offset}: ${r.stdout}`)
    })
  }
  await repo.run(['fsck', '-q'])
})

test('damaged data is traced to the objects and the ref they are reachable from', async () => {
  const pack = largest('.pack')
  await withFlippedByte(pack, Math.floor(fs.statSync(pack).size / 2), async () => {
    const json = JSON.parse((await run(['fsck', '--json'], { cwd: repo.dir })).stdout)
    assert.is(json.ok, false)
    assert.ok(json.problems.some((p: { kind: string; from?: string }) => p.kind === 'corrupt-object' && p.from === 'refs/heads/main'), JSON.stringify(json.problems))
  })
})

test('a flipped byte in an index is found', async () => {
  const index = largest('.idx')
  const name = path.basename(index, '.idx')
  const size = fs.statSync(index).size
  for (const offset of [0, 9, 16, Math.floor(size / 2), size - 40, size - 1]) {
    await withFlippedByte(index, offset, async () => {
      const r = await run(['fsck'], { cwd: repo.dir })
      assert.is(r.code, 6, `offset ${offset}`)
      assert.ok(r.stdout.includes(`index of pack ${name} is corrupt`), `offset ${offset}: ${r.stdout}`)
      assert.match(r.stdout, /is missing \(reachable from refs\/heads\/main\)/)
    })
  }
})

test('a missing pack is found, naming the objects and the ref that needs them', async () => {
  const pack = largest('.pack')
  const name = path.basename(pack, '.pack')
  const saved = fs.readFileSync(pack)
  fs.rmSync(pack)
  try {
    const r = await run(['fsck'], { cwd: repo.dir })
    assertCliError(r, 6, /fsck found \d+ problems/)
    assert.match(r.stdout, new RegExp(`^pack ${name} is missing \\(its index lists \\d+ objects\\)$`, 'm'))
    assert.match(r.stdout, new RegExp(`^chunk [0-9a-f]{64} is in damaged pack ${name} \\(reachable from refs/heads/main\\)$`, 'm'))
  } finally {
    fs.writeFileSync(pack, saved)
  }
})

test('debris of an interrupted write is a notice, not a failure', async () => {
  fs.writeFileSync(path.join(packs, `${'ef'.repeat(32)}.pack`), 'AKPK')
  try {
    const r = await repo.run(['fsck'])
    assert.match(r.stdout, /^notice: pack e{1}f(?:ef){31} has no index/m)
  } finally {
    fs.rmSync(path.join(packs, `${'ef'.repeat(32)}.pack`))
  }
})

test.run()
