import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { catFile, formatFileNode, prettyObject } from '../../../src/commands/cat-file.js'
import { createTag } from '../../../src/commands/tag.js'
import { NotFoundError } from '../../../src/errors.js'
import { readCommit, readVmTree } from '../../../src/objects/read.js'
import { hashObject } from '../../../src/objects/id.js'
import { ENV, bytes, commitFiles, memoryRepo } from './fixture.js'

const test = suite('cat-file')

async function setup() {
  const repo = memoryRepo()
  const disk = Buffer.concat([bytes(1, 8192), Buffer.alloc(8192), bytes(2, 100)])
  const id = await commitFiles(repo, { 'disk.img': disk, 'config.json': '{"cpu":2}\n', 'Data/nvram.bin': bytes(3, 10) }, { ref: 'refs/heads/main', message: 'first' })
  return { repo, id, disk }
}

test('-t and -s of each kind; the size is the uncompressed body', async () => {
  const { repo, id } = await setup()
  const commit = await catFile({ repo, object: 'HEAD' })
  assert.equal([commit.id, commit.kind], [id, 'commit'])
  assert.is(commit.size, commit.body.length)
  assert.is((await catFile({ repo, object: 'HEAD:' })).kind, 'vm')
  assert.is((await catFile({ repo, object: 'HEAD:Data' })).kind, 'vm')
  assert.is((await catFile({ repo, object: 'HEAD:disk.img' })).kind, 'file')
  const chunkId = hashObject('chunk', bytes(2, 100))
  const chunk = await catFile({ repo, object: chunkId })
  assert.equal([chunk.kind, chunk.size], ['chunk', 100])
  assert.ok(chunk.body.equals(bytes(2, 100)))
  assert.ok(prettyObject(chunk) instanceof Buffer)
})

test('-p prints commits and tags as stored, vm trees as listing lines', async () => {
  const { repo, id } = await setup()
  const commit = await catFile({ repo, object: id.slice(0, 8) })
  assert.is(prettyObject(commit), commit.body.toString('utf8'))
  assert.match(prettyObject(commit) as string, /^tree [0-9a-f]{64}\nauthor Ada Tester <ada@example.com> 1700000000 \+0100\n/)
  const tag = await createTag({ repo, name: 'v1', message: 'hello', env: ENV })
  assert.match(prettyObject(await catFile({ repo, object: 'v1' })) as string, new RegExp(`^object ${id}\ntype commit\ntag v1\ntagger Ada Tester <ada@example.com> 1700000000 [+-]\\d{4}\n\nhello\n$`))
  assert.is.not(tag.id, id)
  const tree = await readVmTree(repo.objects, (await readCommit(repo.objects, id)).tree)
  const lines = (prettyObject(await catFile({ repo, object: 'HEAD:' })) as string).split('\n')
  assert.equal(lines, [
    `0755 vm ${tree.entries[0]!.id} -\tData`,
    `0644 file ${tree.entries[1]!.id} 10\tconfig.json`,
    `0644 file ${tree.entries[2]!.id} 16484\tdisk.img`,
    '',
  ])
})

test('-p of a file tree node: header, blank line, one line per hole or chunk', async () => {
  const { repo } = await setup()
  const text = prettyObject(await catFile({ repo, object: 'HEAD:disk.img' })) as string
  const c1 = hashObject('chunk', bytes(1, 8192).subarray(0, 4096))
  const c2 = hashObject('chunk', bytes(1, 8192).subarray(4096))
  const c3 = hashObject('chunk', bytes(2, 100))
  assert.is(text, ['level 0', 'chunking fixed 4096', 'span 16484', 'entries 4', '', `chunk ${c1} 4096`, `chunk ${c2} 4096`, 'hole 8192', `chunk ${c3} 100`, ''].join('\n'))
  assert.match(formatFileNode({ level: 1, chunking: { kind: 'fastcdc', min: 1, avg: 2, max: 3 }, span: 5, entries: [{ kind: 'node', id: c1, length: 5 }] }), new RegExp(`chunking fastcdc 1 2 3\n[^]*node ${c1} 5\n$`))
})

test('a missing object or path is not found', async () => {
  const { repo } = await setup()
  await catFile({ repo, object: 'f'.repeat(64) }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
  await catFile({ repo, object: 'HEAD:nope' }).then(() => assert.unreachable(), (err) => {
    assert.instance(err, NotFoundError)
    assert.is(err.message, "path 'nope' does not exist in 'HEAD'")
  })
  await catFile({ repo, object: 'HEAD:disk.img/x' }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
})

test.run()
