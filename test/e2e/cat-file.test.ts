import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run } from '../helpers/cli.js'
import { type VmRepo, assertCliError, vmRepo } from './vm-repo.js'

const test = suite('ankagit cat-file')
let repo: VmRepo

test.before(async () => {
  repo = await vmRepo('cat-file')
})

test('-t and -s of a commit, a vm tree, a file tree and a chunk', async () => {
  assert.is((await repo.run(['cat-file', '-t', 'HEAD'])).stdout, 'commit\n')
  assert.is((await repo.run(['cat-file', '-t', 'HEAD:'])).stdout, 'vm\n')
  assert.is((await repo.run(['cat-file', '-t', 'HEAD:disk.img'])).stdout, 'file\n')
  const body = (await repo.run(['cat-file', '-p', 'HEAD'])).stdoutBytes
  assert.is((await repo.run(['cat-file', '-s', 'HEAD'])).stdout, `${body.length}\n`)
})

test('-p: the commit as stored, the vm tree as listing lines, a file tree node, a chunk raw', async () => {
  const commit = (await repo.run(['cat-file', '-p', 'HEAD'])).stdout
  assert.match(commit, new RegExp(`^tree [0-9a-f]{64}\nparent ${repo.c1}\nauthor Ada Tester <ada@example.com> \\d+ [+-]\\d{4}\ncommitter .*\n\nsecond version\n\nwith a body\n$`))
  const tree = (await repo.run(['cat-file', '-p', 'HEAD:'])).stdout
  const disk = fs.statSync(path.join(repo.dir, 'disk.img')).size
  assert.match(tree, new RegExp(`^0644 file [0-9a-f]{64} ${fs.statSync(path.join(repo.dir, 'config.json')).size}\tconfig.json\n0644 file [0-9a-f]{64} ${disk}\tdisk.img\n`))
  const node = (await repo.run(['cat-file', '-p', 'HEAD:disk.img'])).stdout
  assert.match(node, new RegExp(`^level \\d+\nchunking fixed 65536\nspan ${disk}\nentries \\d+\n\n`))
  // Walk down to a leaf, then read its first chunk and compare with the disk's bytes at that offset.
  let text = node
  while (!/^level 0$/m.test(text)) text = (await repo.run(['cat-file', '-p', /^node ([0-9a-f]{64}) /m.exec(text)![1]!])).stdout
  let offset = 0
  let chunk: string | undefined
  for (const line of text.split('\n').slice(5)) {
    const m = /^(hole|chunk) (?:([0-9a-f]{64}) )?(\d+)$/.exec(line)
    if (!m) continue
    if (m[1] === 'chunk') {
      chunk = m[2]
      break
    }
    offset += Number(m[3])
  }
  const raw = (await repo.run(['cat-file', '-p', chunk!])).stdoutBytes
  const fd = fs.openSync(path.join(repo.dir, 'disk.img'), 'r')
  const expected = Buffer.alloc(raw.length)
  fs.readSync(fd, expected, 0, raw.length, offset)
  fs.closeSync(fd)
  assert.ok(raw.equals(expected), 'the chunk is the disk bytes at its offset')
  assert.is((await repo.run(['cat-file', '-t', chunk!])).stdout, 'chunk\n')
})

test('errors: no mode, missing object, missing path, corrupt object', async () => {
  assertCliError(await run(['cat-file', 'HEAD'], { cwd: repo.dir }), 2, /exactly one of -t, -s and -p/)
  assertCliError(await run(['cat-file', '-p', 'f'.repeat(64)], { cwd: repo.dir }), 10, /not found/)
  assertCliError(await run(['cat-file', '-p', 'HEAD:nope'], { cwd: repo.dir }), 10, /path 'nope' does not exist in 'HEAD'/)
})

test.run()
