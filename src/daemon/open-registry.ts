/**
 * openRegistry: the registry a location names, the way createBackend (src/store/open-backend.ts)
 * reads locations. A directory is a daemon root (DirectoryRegistry); an S3 URL
 *
 *     s3://BUCKET[/PREFIX]?endpoint=URL&region=R
 *
 * lays out the same under the prefix: PREFIX/objects/ (the shared object store, an S3Backend behind
 * withRetry) and the repositories (s3-repositories.ts). Credentials come from the AWS environment
 * variables, never from the URL. Any number of daemons may open one S3 location at once.
 */
import * as path from 'node:path'
import { InvalidArgumentError } from '../errors.js'
import type { AbortOptions } from '../options.js'
import type { S3RefStoreOptions } from '../refs/s3-ref-store.js'
import { type RetryOptions, withRetry } from '../store/retry.js'
import type { S3Options } from '../store/s3.js'
import { DirectoryRegistry, StoreRegistry } from './registry.js'

export interface OpenRegistryOptions extends AbortOptions {
  /** A directory root is created when missing unless this is false (gc, which must not invent an
   *  empty registry from a typo, passes false). */
  create?: boolean
  s3?: S3Options
  retry?: RetryOptions
  /** Lease and lock waits of the S3 ref stores (tests shorten them). */
  refs?: S3RefStoreOptions
}

export function isS3Location(location: string): boolean {
  return location.startsWith('s3://')
}

/** A location as given on a command line: an s3:// URL unchanged, a path made absolute against cwd.
 *  Any other scheme is a mistake, not a directory named "http:". */
export function resolveLocation(location: string, cwd: string): string {
  if (isS3Location(location)) return location
  checkNotUrl(location)
  return path.resolve(cwd, location)
}

function checkNotUrl(location: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new InvalidArgumentError(`unsupported registry location '${location}': expected a directory or s3://BUCKET[/PREFIX]`)
}

/** Opens the registry and loads its pack indexes, so a wrong bucket or endpoint fails here, not at the first request. */
export async function openRegistry(location: string, opts: OpenRegistryOptions = {}): Promise<StoreRegistry> {
  if (typeof location !== 'string' || location === '') throw new InvalidArgumentError('registry location is empty')
  if (!isS3Location(location)) {
    checkNotUrl(location)
    return DirectoryRegistry.open(location, opts)
  }
  // The AWS SDK took ~120 ms to load: only S3 locations pay for it.
  const { S3Backend, S3Prefix, createS3Client, parseS3Url } = await import('../store/s3.js')
  const { S3Repositories } = await import('./s3-repositories.js')
  const loc = parseS3Url(location)
  const client = opts.s3?.client ?? createS3Client(loc, opts.s3)
  const root = new S3Prefix(client, loc.bucket, loc.prefix, opts.s3)
  const registry = new StoreRegistry(withRetry(new S3Backend(root.child('objects/')), opts.retry), new S3Repositories(root, opts.refs))
  await registry.objects.load(opts)
  return registry
}
