import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { LFS_DEFAULT_LIMIT, competitorTools } from '../../../bench/tool-set.js'

const test = suite('tool-set')
const all = new Set(['restic', 'borg', 'casync', 'rsync', 'zstd', 'lz4', 'git', 'git-lfs'])

test('every available tool takes part; git-lfs only on small cases unless --large', () => {
  const small = competitorTools({ available: all, versions: {}, caseBytes: LFS_DEFAULT_LIMIT - 1, large: false })
  assert.equal(small.tools.map((t) => t.id), ['restic', 'borg', 'casync', 'rsync', 'git-lfs', 'whole-file', 'tart-lz4', 'tart-zstd'])
  const big = competitorTools({ available: all, versions: {}, caseBytes: LFS_DEFAULT_LIMIT, large: false })
  assert.not.ok(big.tools.some((t) => t.id === 'git-lfs'))
  assert.match(big.skipped[0]!, /git-lfs left out/)
  const large = competitorTools({ available: all, versions: {}, caseBytes: 8 * LFS_DEFAULT_LIMIT, large: true })
  assert.ok(large.tools.some((t) => t.id === 'git-lfs'))
  assert.ok(large.tools.some((t) => t.id === 'borg-64k'))
})

test('missing tools are simply absent', () => {
  const r = competitorTools({ available: new Set(['rsync']), versions: { rsync: 'rsync 3.5.0' }, caseBytes: 1, large: false })
  assert.equal(r.tools.map((t) => t.id), ['rsync'])
  assert.match(r.tools[0]!.label, /^rsync 3\.5\.0/)
})

test.run()
