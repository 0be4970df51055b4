/**
 * StoreRegistry: the Registry a daemon serves, an object store on any Backend plus the
 * repositories beside it (repositories.ts). DirectoryRegistry is the daemon root on a local disk:
 *
 *     <root>/objects/          the one object store all repositories share (packs/, tmp/)
 *     <root>/repos/<name>/     one repository's refs (FileRepositories)
 *
 * and an S3 registry (open-registry.ts) lays the same out under a bucket prefix.
 *
 * What a daemon keeps in memory, and why replicas sharing one store need nothing from each other:
 *  - pack indexes: packs are immutable and named by content, so a loaded index stays true. A
 *    replica learns of packs another one wrote by re-listing (ObjectStore.refresh) on every
 *    `missing` and `update-refs` request and whenever an object is not found; it forgets packs gc
 *    removed the same way, and a read that finds its pack gone refreshes and retries.
 *  - that a repository exists: repositories are never deleted by the daemon.
 *  - objects received but not yet in a saved pack: each request saves what it received before it
 *    answers, so no other replica ever needs them.
 * Refs are never kept: every request reads them from the ref store, which changes them only by
 * compare-and-swap (lock files locally, conditional PUTs on S3).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import fse from 'fs-extra'
import type { AbortOptions } from '../options.js'
import { NotFoundError, fromFsError, throwIfAborted } from '../errors.js'
import { ObjectStore, type PutFrameOptions } from '../objects/object-store.js'
import type { CompressedFrame } from '../pack/frame.js'
import type { Backend } from '../store/backend.js'
import { LocalBackend } from '../store/local.js'
import type { RefStore } from '../refs/ref-store.js'
import type { Registry } from '../transport/registry.js'
import { type FlushOptions, StoreQueue } from '../transport/store-queue.js'
import { checkRepositoryName } from '../transport/repository-name.js'
import type { Repositories } from './repositories.js'
import { FileRepositories } from './file-repositories.js'

export class StoreRegistry implements Registry {
  readonly objects: ObjectStore
  private readonly queue: StoreQueue

  constructor(backend: Backend | ObjectStore, readonly repositories: Repositories) {
    this.objects = backend instanceof ObjectStore ? backend : new ObjectStore(backend)
    this.queue = new StoreQueue(this.objects)
  }

  /** "local /srv/ankagit/objects" or "s3://bucket/prefix/objects/", for messages. */
  get location(): string {
    return this.objects.backend.location
  }

  async open(name: string, opts?: AbortOptions): Promise<RefStore | undefined> {
    throwIfAborted(opts?.signal)
    return this.repositories.open(checkRepositoryName(name), opts)
  }

  async create(name: string, opts?: AbortOptions): Promise<RefStore> {
    throwIfAborted(opts?.signal)
    return this.repositories.create(checkRepositoryName(name), opts)
  }

  list(opts?: AbortOptions): Promise<string[]> {
    return this.repositories.list(opts)
  }

  putFrame(frame: CompressedFrame, opts?: PutFrameOptions): Promise<number> {
    return this.queue.putFrame(frame, opts)
  }

  /** Where a caller's frames begin, for flush's `since` (StoreQueue.mark). */
  mark(): number {
    return this.queue.mark()
  }

  flush(opts?: FlushOptions): Promise<void> {
    return this.queue.flush(opts)
  }
}

export class DirectoryRegistry extends StoreRegistry {
  private constructor(readonly root: string) {
    super(new LocalBackend(path.join(root, 'objects')), new FileRepositories(path.join(root, 'repos')))
  }

  /** Opens the daemon root (creating its folders unless create is false, when a missing one is
   *  NotFoundError) and loads the store's pack indexes. */
  static async open(root: string, opts: AbortOptions & { create?: boolean } = {}): Promise<DirectoryRegistry> {
    const dir = path.resolve(root)
    if (opts.create === false) {
      if (!['objects', 'repos'].every((sub) => fs.existsSync(path.join(dir, sub)))) {
        throw new NotFoundError(`'${dir}' is not a daemon root: it has no objects/ and repos/ folders`, { root: dir })
      }
    } else {
      try {
        await fse.ensureDir(path.join(dir, 'objects', 'packs'))
        await fse.ensureDir(path.join(dir, 'repos'))
      } catch (err) {
        throw fromFsError(err, `daemon root '${dir}'`)
      }
    }
    const registry = new DirectoryRegistry(dir)
    await registry.objects.load(opts)
    return registry
  }
}
