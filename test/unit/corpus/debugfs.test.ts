import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseLeafExtents, quotePath } from '../../../bench/corpus/debugfs.js'

const test = suite('debugfs')

test('parses leaf extents (as debugfs 1.47 prints them) and skips uninitialized ones', () => {
  const out = [
    'Level Entries       Logical        Physical Length Flags',
    ' 0/ 0   1/  4     0 -    13   8133 -   8146     14 ',
    ' 0/ 0   2/  4    16 -    16   8147 -   8147      1 ',
    ' 0/ 0   3/  4    62 -   101   8964 -   9003     40 Uninit',
    ' 1/ 1   1/  2   104 -   147   9004 -   9047     44 ',
  ].join('\n')
  assert.equal(parseLeafExtents(out), [
    { logical: 0, physical: 8133, length: 14 },
    { logical: 16, physical: 8147, length: 1 },
    { logical: 104, physical: 9004, length: 44 },
  ])
})

test('quotes paths only when needed and refuses what debugfs cannot express', () => {
  assert.is(quotePath('/usr/lib/libz.so.1'), '/usr/lib/libz.so.1')
  assert.is(quotePath('/a b'), '"/a b"')
  assert.throws(() => quotePath('/a"b'), /cannot be written/)
})

test.run()
