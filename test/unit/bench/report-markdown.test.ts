import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { renderMarkdown } from '../../../bench/report-markdown.js'
import { sampleReport } from './report-fixture.js'

const test = suite('report-markdown')

test('targets come first, a miss in bold, each with its ratio', () => {
  const md = renderMarkdown(sampleReport())
  assert.ok(md.indexOf('## Targets') < md.indexOf('## Case title'))
  assert.match(md, '| Case title | commit is faster than zstd | 2 s vs 4 s | 0.50× | yes |')
  assert.match(md, '| Case title | store is tiny | 1 MiB |  | **no** |')
})

test('steps show the exact command with the work folder as $WORK, and pipes are escaped in cells', () => {
  const md = renderMarkdown(sampleReport())
  assert.match(md, '`cd $WORK/vm && ankagit commit -m v1`')
  assert.match(md, '`cd $WORK/vm && zstd -1 -c disk.img > $WORK/out.zst`')
  assert.match(md, '| zstd \\| pipe |')
  assert.match(md, '| 2.00 s | 1.00 s–3.00 s | 3.00 s | 150.0 MiB | 1.00 MiB |  | 1.3, 2.5, 3.0 |')
})

test('data, counters, notes, load and machine are all there', () => {
  const md = renderMarkdown(sampleReport())
  assert.match(md, '| bundle size | 8.00 GiB (8589934592) |')
  assert.match(md, '- commit of v1: newChunks 7')
  assert.match(md, '- a note')
  assert.match(md, 'load before the bench 1, 2, 3, after 4, 5, 6')
  assert.match(md, '| CPU | Test CPU (2 cores) |')
  assert.match(md, 'Reproduce: `npm run bench`')
})

test.run()
