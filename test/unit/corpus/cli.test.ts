import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { makeCorpusProgram, parseSize } from '../../../bench/corpus/cli.js'

const test = suite('corpus cli')

test('parseSize reads binary units', () => {
  assert.is(parseSize('4096'), 4096)
  assert.is(parseSize('650M'), 650 * 2 ** 20)
  assert.is(parseSize('8G'), 8 * 2 ** 30)
  assert.is(parseSize('1.5k'), 1536)
  assert.is(parseSize('2GiB'), 2 * 2 ** 30)
  assert.throws(() => parseSize('8Q'), /invalid size '8Q'/)
})

test('every documented command is registered', () => {
  const names = makeCorpusProgram().commands.map((c) => c.name())
  assert.equal(names.sort(), ['archive', 'clone', 'make-vm', 'suspend', 'update'])
})

test.run()
