import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { defaultFetchRefspecs, mapRef, parseRefspec } from '../../../src/transport/refspec.js'
import { InvalidArgumentError } from '../../../src/errors.js'

const test = suite('refspecs')

test('parses forced and plain specs', () => {
  assert.equal(parseRefspec('+refs/heads/*:refs/remotes/origin/*'), { force: true, src: 'refs/heads/*', dst: 'refs/remotes/origin/*' })
  assert.equal(parseRefspec('refs/tags/v1:refs/tags/v1'), { force: false, src: 'refs/tags/v1', dst: 'refs/tags/v1' })
})

test('maps names through patterns and exact names', () => {
  const spec = parseRefspec('+refs/heads/*:refs/remotes/origin/*')
  assert.is(mapRef(spec, 'refs/heads/main'), 'refs/remotes/origin/main')
  assert.is(mapRef(spec, 'refs/heads/team/x'), 'refs/remotes/origin/team/x')
  assert.is(mapRef(spec, 'refs/tags/v1'), undefined)
  assert.is(mapRef(parseRefspec('refs/heads/main:refs/heads/copy'), 'refs/heads/main'), 'refs/heads/copy')
  assert.is(mapRef(parseRefspec('refs/heads/main:refs/heads/copy'), 'refs/heads/mainx'), undefined)
  assert.is(mapRef(parseRefspec('refs/heads/*-ci:refs/ci/*'), 'refs/heads/mac-ci'), 'refs/ci/mac')
})

test('refuses malformed specs', () => {
  for (const bad of ['refs/heads/main', 'refs/heads/*:refs/x', 'refs/*/*:refs/*/*', 'refs/heads/a..b:refs/x', 'heads/*:refs/*', 'a:b:c']) {
    assert.throws(() => parseRefspec(bad), (e: unknown) => e instanceof InvalidArgumentError && (e as Error).message.startsWith(`invalid refspec '${bad}'`), bad)
  }
})

test('defaults follow git', () => {
  assert.equal(defaultFetchRefspecs('origin'), ['+refs/heads/*:refs/remotes/origin/*', 'refs/tags/*:refs/tags/*'])
})

test.run()
