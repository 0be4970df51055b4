import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { countObjects } from '../../../src/commands/count-objects.js'
import { createTag } from '../../../src/commands/tag.js'
import { LocalBackend } from '../../../src/store/local.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { ENV, bytes, commitFiles, memoryRepo } from './fixture.js'

const test = suite('count-objects')

test('objects by kind, each once, packs and their bytes', async () => {
  const repo = memoryRepo()
  const c1 = await commitFiles(repo, { 'disk.img': bytes(1, 3 * 4096) }, { ref: 'refs/heads/main' })
  await createTag({ repo, name: 'v1', message: 'm', env: ENV })
  const r = await countObjects({ repo })
  // 3 chunks, 1 file tree node, 1 vm tree, 1 commit, 1 tag.
  assert.equal(r.byKind, { chunk: 3, file: 1, vm: 1, commit: 1, tag: 1 })
  assert.is(r.objects, 7)
  assert.is(r.chunkBytes, 3 * 4096)
  let packBytes = 0
  let indexBytes = 0
  for await (const key of repo.backend.list('packs/')) {
    const size = (await repo.backend.stat(key))!.size
    if (key.endsWith('.pack')) packBytes += size
    else indexBytes += size
  }
  assert.equal([r.packs, r.packBytes, r.indexBytes], [3, packBytes, indexBytes])
  assert.equal([r.unindexedPacks, r.tmpFiles], [0, 0])
  // The same chunks stored again in another pack count once.
  const again = memoryRepo(repo.backend)
  await commitFiles(again, { 'disk.img': bytes(1, 3 * 4096), other: 'x' }, { parents: [c1] })
  const r2 = await countObjects({ repo: again })
  assert.is(r2.byKind.chunk, 4)
})

test('debris: packs without an index and temp files of a local store', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-count-'))
  try {
    const repo = memoryRepo()
    const local = { ...repo, objects: new ObjectStore(new LocalBackend(root)) }
    await commitFiles(local, { a: 'hello' }, { ref: 'refs/heads/main' })
    fs.writeFileSync(path.join(root, 'packs', `${'ab'.repeat(32)}.pack`), Buffer.alloc(100))
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true })
    fs.writeFileSync(path.join(root, 'tmp', 'x.pack.123.tmp'), Buffer.alloc(7))
    const r = await countObjects({ repo: local })
    assert.equal([r.unindexedPacks, r.unindexedBytes, r.tmpFiles, r.tmpBytes], [1, 100, 1, 7])
    assert.is(r.objects, 4)
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
})

test.run()
