import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { formatTreeLine, lsTree } from '../../../src/commands/ls-tree.js'
import { InvalidArgumentError, NotFoundError } from '../../../src/errors.js'
import { readCommit } from '../../../src/objects/read.js'
import { bytes, commitFiles, memoryRepo } from './fixture.js'

const test = suite('ls-tree')

async function setup() {
  const repo = memoryRepo()
  const id = await commitFiles(repo, { 'disk.img': bytes(1, 5000), 'Data/nvram.bin': bytes(2, 10), 'Data/sub/x': 'x' }, { ref: 'refs/heads/main' })
  return { repo, id }
}

const paths = (e: Array<{ path: string }>) => e.map((x) => x.path)

test('the root, a directory entry, a directory\'s contents, and -r', async () => {
  const { repo } = await setup()
  assert.equal(paths(await lsTree({ repo, rev: 'HEAD' })), ['Data', 'disk.img'])
  const dir = await lsTree({ repo, rev: 'HEAD', path: 'Data' })
  assert.equal(dir.map((e) => [e.path, e.type, e.mode, e.size]), [['Data', 'vm', 0o755, undefined]])
  assert.equal(paths(await lsTree({ repo, rev: 'HEAD', path: 'Data/' })), ['Data/nvram.bin', 'Data/sub'])
  assert.equal(paths(await lsTree({ repo, rev: 'HEAD', recursive: true })), ['Data/nvram.bin', 'Data/sub/x', 'disk.img'])
  assert.equal(paths(await lsTree({ repo, rev: 'HEAD', path: 'Data', recursive: true })), ['Data/nvram.bin', 'Data/sub/x'])
  const file = await lsTree({ repo, rev: 'main', path: 'disk.img' })
  assert.equal(file.map((e) => [e.path, e.type, e.size]), [['disk.img', 'file', 5000]])
})

test('a vm tree id lists directly; lines have git\'s shape', async () => {
  const { repo, id } = await setup()
  const tree = (await readCommit(repo.objects, id)).tree
  const entries = await lsTree({ repo, rev: tree })
  assert.equal(paths(entries), ['Data', 'disk.img'])
  assert.is(formatTreeLine(entries[1]!), `0644 file ${entries[1]!.id} 5000\tdisk.img`)
  assert.is(formatTreeLine(entries[0]!), `0755 vm ${entries[0]!.id} -\tData`)
})

test('missing paths and non-directories with a slash are refused', async () => {
  const { repo } = await setup()
  await lsTree({ repo, rev: 'HEAD', path: 'nope' }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
  await lsTree({ repo, rev: 'HEAD', path: 'disk.img/' }).then(() => assert.unreachable(), (err) => assert.instance(err, InvalidArgumentError))
  await lsTree({ repo, rev: 'nope' }).then(() => assert.unreachable(), (err) => assert.instance(err, NotFoundError))
})

test.run()
