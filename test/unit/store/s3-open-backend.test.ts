/**
 * createBackend (src/store/open-backend.ts): a path is a LocalBackend, an s3:// URL an S3Backend
 * behind withRetry, anything else a clear error. Named s3-open-backend as part of the S3 work.
 */
import * as path from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { InvalidArgumentError } from '../../../src/errors.js'
import { LocalBackend } from '../../../src/store/local.js'
import { createBackend } from '../../../src/store/open-backend.js'

const test = suite('createBackend')

test('a path gives a LocalBackend on the resolved directory', () => {
  const b = createBackend('some/dir')
  assert.instance(b, LocalBackend)
  assert.is((b as LocalBackend).root, path.resolve('some/dir'))
  assert.instance(createBackend('/srv/ankagit'), LocalBackend)
})

test('an s3 URL gives an S3 backend with its location, wrapped for retries', () => {
  const b = createBackend('s3://vms/team?endpoint=http://127.0.0.1:7480')
  assert.is(b.location, 's3://vms/team/')
  assert.not.instance(b, LocalBackend)
  assert.is(b.constructor.name, 'RetryingBackend')
})

test('other schemes, bad s3 URLs and empty locations are InvalidArgumentError', () => {
  for (const bad of ['', 'http://host/x', 'file:///srv', 's3://B', 's3://vms?x=1']) {
    try {
      createBackend(bad)
      assert.unreachable(`'${bad}' must be refused`)
    } catch (err) {
      assert.instance(err, InvalidArgumentError, bad)
    }
  }
})

test.run()
