import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { checkRepositoryName, repositoryNameProblem } from '../../../src/transport/repository-name.js'
import { InvalidArgumentError } from '../../../src/errors.js'

const test = suite('repository names')

test('accepts lowercase names with dots, dashes and underscores', () => {
  for (const ok of ['macos-runner', 'vm2', 'a', 'ubuntu_24.04', '0day']) assert.is(repositoryNameProblem(ok), undefined, ok)
})

test('refuses anything that could be a path or mean two things', () => {
  for (const bad of ['', 'MacOS', '.hidden', '-x', 'a/b', 'a..b', 'x.lock', 'a b', 'a'.repeat(101), '..', 'é']) {
    assert.ok(repositoryNameProblem(bad), bad)
    assert.throws(() => checkRepositoryName(bad), (e: unknown) => e instanceof InvalidArgumentError && /invalid repository name/.test((e as Error).message))
  }
})

test.run()
