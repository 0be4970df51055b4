import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { MAX_PER_FOLDER, pickByFolder, pickFiles, seededOrder, takeUpTo } from '../../../bench/corpus/pick-files.js'

const test = suite('pick-files')

const files = Array.from({ length: 200 }, (_, i) => ({ path: `/d${i % 10}/f${String(i).padStart(3, '0')}`, size: 100 + i }))

test('takeUpTo stays under the budget and skips what would overshoot', () => {
  assert.equal(takeUpTo([{ size: 5 }, { size: 10 }, { size: 3 }], 9), [{ size: 5 }, { size: 3 }])
})

test('pickFiles is seeded, stays under budget and honours exclude', () => {
  const a = pickFiles(files, { bytes: 5000, seed: 1, label: 't' })
  assert.equal(a, pickFiles(files, { bytes: 5000, seed: 1, label: 't' }))
  assert.not.equal(a, pickFiles(files, { bytes: 5000, seed: 2, label: 't' }))
  const total = a.reduce((s, f) => s + f.size, 0)
  assert.ok(total <= 5000 && total > 4700, `total ${total}`)
  const exclude = new Set(a.map((f) => f.path))
  assert.ok(pickFiles(files, { bytes: 5000, seed: 1, label: 't', exclude }).every((f) => !exclude.has(f.path)))
})

test('pickByFolder takes folders whole, in path order', () => {
  const picked = pickByFolder(files, { bytes: 6000, seed: 3, label: 'folders' })
  const folders = [...new Set(picked.map((f) => f.path.split('/')[1]))]
  assert.ok(folders.length <= 3, `spread over ${folders.length} folders`)
  const first = picked.filter((f) => f.path.startsWith(`/${folders[0]}/`))
  assert.is(first.length, 20)
  assert.equal(first.map((f) => f.path), [...first.map((f) => f.path)].sort())
})

test('pickByFolder takes at most MAX_PER_FOLDER files of one folder', () => {
  const big = Array.from({ length: MAX_PER_FOLDER + 50 }, (_, i) => ({ path: `/big/f${String(i).padStart(5, '0')}`, size: 1 }))
  assert.is(pickByFolder(big, { bytes: 1e9, seed: 1, label: 'x' }).length, MAX_PER_FOLDER)
})

test('seededOrder keeps the relative order of items when others are added', () => {
  const keys = files.map((f) => f.path)
  const order = seededOrder(keys, (k) => k, 4, 'o')
  const withMore = seededOrder([...keys, '/new/a', '/new/b'], (k) => k, 4, 'o')
  assert.equal(withMore.filter((k) => !k.startsWith('/new/')), order)
  assert.not.equal(seededOrder(keys, (k) => k, 5, 'o'), order)
})

test.run()
