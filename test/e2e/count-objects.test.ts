import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { type VmRepo, vmRepo } from './vm-repo.js'

const test = suite('ankagit count-objects')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('count-objects')
  await repo.run(['tag', '-a', 'v2', '-m', 'two'])
})

test('objects by kind, packs and their bytes match the store on disk', async () => {
  const r = JSON.parse((await repo.run(['count-objects', '--json'])).stdout)
  const packs = path.join(repo.dir, '.ankagit', 'objects', 'packs')
  const files = fs.readdirSync(packs)
  const size = (ext: string) => files.filter((f) => f.endsWith(ext)).reduce((a, f) => a + fs.statSync(path.join(packs, f)).size, 0)
  assert.is(r.packs, files.filter((f) => f.endsWith('.idx')).length)
  assert.equal([r.packBytes, r.indexBytes], [size('.pack'), size('.idx')])
  assert.equal([r.byKind.commit, r.byKind.tag], [2, 1])
  assert.ok(r.byKind.vm >= 2 && r.byKind.file >= 3 && r.byKind.chunk > 10)
  assert.is(r.objects, Object.values(r.byKind as Record<string, number>).reduce((a, n) => a + n, 0))
  assert.ok(r.chunkBytes > 0)
  assert.equal([r.unindexedPacks, r.tmpFiles], [0, 0])
})

test('the text form, and debris of interrupted writes', async () => {
  const store = path.join(repo.dir, '.ankagit', 'objects')
  fs.writeFileSync(path.join(store, 'packs', `${'ab'.repeat(32)}.pack`), Buffer.alloc(1000))
  fs.mkdirSync(path.join(store, 'tmp'), { recursive: true })
  fs.writeFileSync(path.join(store, 'tmp', 'x.pack.1234.tmp'), Buffer.alloc(10))
  const out = (await repo.run(['count-objects'])).stdout
  assert.match(out, /^objects: \d+ \(chunk \d+, file \d+, vm \d+, commit 2, tag 1\)\nchunk data: [\d.]+ \w+\npacks: \d+\npack bytes: .+\nindex bytes: .+\nunindexed packs: 1 \(1000 B\)\ntemp files: 1 \(10 B\)\n$/)
  fs.rmSync(path.join(store, 'packs', `${'ab'.repeat(32)}.pack`))
  fs.rmSync(path.join(store, 'tmp', 'x.pack.1234.tmp'))
})

test.run()
