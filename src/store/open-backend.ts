/**
 * createBackend: the Backend a location names. A filesystem path is a LocalBackend (the embedded
 * default); an s3:// URL is an S3Backend wrapped in withRetry, since a network store has transient
 * failures that a local disk does not.
 */
import * as path from 'node:path'
import { InvalidArgumentError } from '../errors.js'
import type { Backend } from './backend.js'
import { LocalBackend } from './local.js'
import { type RetryOptions, withRetry } from './retry.js'
import { type S3Options, openS3Backend } from './s3.js'

export interface CreateBackendOptions {
  s3?: S3Options
  retry?: RetryOptions
}

export function createBackend(location: string, opts: CreateBackendOptions = {}): Backend {
  if (typeof location !== 'string' || location === '') throw new InvalidArgumentError('storage location is empty')
  if (location.startsWith('s3://')) return withRetry(openS3Backend(location, opts.s3), opts.retry)
  // Any other scheme is a mistake, not a directory named "http:".
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new InvalidArgumentError(`unsupported storage location '${location}': expected a path or s3://BUCKET[/PREFIX]`)
  return new LocalBackend(path.resolve(location))
}
