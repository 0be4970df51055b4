import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fingerprintBundle } from '../../../bench/bundle-facts.js'
import { PresentedTree } from '../../../bench/presented-tree.js'
import { tmpDir } from '../../helpers/tmp.js'

const test = suite('presented-tree')

function version(root: string, name: string, files: Record<string, string>) {
  const dir = path.join(root, name)
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    fs.writeFileSync(path.join(dir, rel), text)
  }
  return { name, dir, prints: fingerprintBundle(dir) }
}

test('only changed files are rewritten; unchanged ones keep their inode; gone ones are removed', async () => {
  const root = tmpDir('ankagit-bench-tree-')
  const a = version(root, 'a', { 'disk.img': 'disk', 'config.json': '{}', 'sub/old': 'x' })
  const b = version(root, 'b', { 'disk.img': 'disk', 'config.json': '{"v":2}' })
  const tree = new PresentedTree(path.join(root, 'shown'))
  assert.equal((await tree.show(a)).sort(), ['config.json', 'disk.img', 'sub/old'])
  const inode = fs.statSync(path.join(tree.dir, 'disk.img')).ino
  assert.equal(await tree.show(b), ['config.json'])
  assert.is(fs.statSync(path.join(tree.dir, 'disk.img')).ino, inode)
  assert.is(fs.readFileSync(path.join(tree.dir, 'config.json'), 'utf8'), '{"v":2}')
  assert.not.ok(fs.existsSync(path.join(tree.dir, 'sub', 'old')))
  assert.equal(fingerprintBundle(tree.dir), b.prints)
})

test('a repository folder inside the shown folder is left alone', async () => {
  const root = tmpDir('ankagit-bench-tree-')
  const tree = new PresentedTree(path.join(root, 'shown'))
  fs.mkdirSync(path.join(tree.dir, '.ankagit'))
  fs.writeFileSync(path.join(tree.dir, '.ankagit', 'HEAD'), 'ref')
  await tree.show(version(root, 'a', { f: '1' }))
  assert.ok(fs.existsSync(path.join(tree.dir, '.ankagit', 'HEAD')))
})

test.run()
