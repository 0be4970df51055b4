/**
 * DirectoryRegistry: a daemon's root directory.
 *
 *     <root>/objects/          the one object store all repositories share (packs/, tmp/)
 *     <root>/repos/<name>/     one repository's refs: HEAD, refs/, logs/ (FileRefStore's layout)
 *
 * A repository is created when its first push creates a ref: its directory is built under a
 * temporary name (starting with '.', so never a valid repository name) and renamed into place, so a
 * crash never leaves half a repository and two first pushes racing end with one.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { randomBytes } from 'node:crypto'
import fse from 'fs-extra'
import type { AbortOptions } from '../options.js'
import { NotFoundError, fromFsError, throwIfAborted } from '../errors.js'
import { ObjectStore } from '../objects/object-store.js'
import type { CompressedFrame } from '../pack/frame.js'
import { LocalBackend } from '../store/local.js'
import { FileRefStore } from '../refs/file-ref-store.js'
import { INITIAL_BRANCH } from '../refs/ref-store.js'
import type { Registry } from '../transport/registry.js'
import { StoreQueue } from '../transport/store-queue.js'
import { checkRepositoryName, repositoryNameProblem } from '../transport/repository-name.js'

export class DirectoryRegistry implements Registry {
  readonly objects: ObjectStore
  private readonly queue: StoreQueue
  private readonly repos = new Map<string, FileRefStore>()
  private readonly reposDir: string

  private constructor(readonly root: string) {
    this.objects = new ObjectStore(new LocalBackend(path.join(root, 'objects')))
    this.queue = new StoreQueue(this.objects)
    this.reposDir = path.join(root, 'repos')
  }

  /** Opens (creating if needed) the daemon root and loads the store's pack indexes. */
  static async open(root: string, opts?: AbortOptions): Promise<DirectoryRegistry> {
    const dir = path.resolve(root)
    try {
      await fse.ensureDir(path.join(dir, 'objects', 'packs'))
      await fse.ensureDir(path.join(dir, 'repos'))
    } catch (err) {
      throw fromFsError(err, `daemon root '${dir}'`)
    }
    const registry = new DirectoryRegistry(dir)
    await registry.objects.load(opts)
    return registry
  }

  async open(name: string, opts?: AbortOptions): Promise<FileRefStore | undefined> {
    throwIfAborted(opts?.signal)
    checkRepositoryName(name)
    const cached = this.repos.get(name)
    if (cached) return cached
    const dir = path.join(this.reposDir, name)
    if (!fs.existsSync(path.join(dir, 'HEAD'))) return undefined
    const refs = new FileRefStore(dir, { who: 'ankagit-daemon' })
    this.repos.set(name, refs)
    return refs
  }

  async create(name: string, opts?: AbortOptions): Promise<FileRefStore> {
    const existing = await this.open(name, opts)
    if (existing) return existing
    const tmp = path.join(this.reposDir, `.new-${name}-${randomBytes(6).toString('hex')}`)
    try {
      await fse.ensureDir(path.join(tmp, 'refs', 'heads'))
      await fse.ensureDir(path.join(tmp, 'refs', 'tags'))
      fs.writeFileSync(path.join(tmp, 'HEAD'), `ref: ${INITIAL_BRANCH}\n`)
      fs.renameSync(tmp, path.join(this.reposDir, name))
    } catch (err) {
      await fse.remove(tmp).catch(() => {})
      // Lost a race with another first push: its repository is as good as ours.
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw fromFsError(err, `repository '${name}'`)
    }
    const refs = await this.open(name, opts)
    if (!refs) throw new NotFoundError(`repository '${name}' vanished while it was created`, { name })
    return refs
  }

  async list(opts?: AbortOptions): Promise<string[]> {
    throwIfAborted(opts?.signal)
    const names = fs.readdirSync(this.reposDir).filter((n) => repositoryNameProblem(n) === undefined && fs.existsSync(path.join(this.reposDir, n, 'HEAD')))
    return names.sort()
  }

  putFrame(frame: CompressedFrame, opts?: AbortOptions): Promise<number> {
    return this.queue.putFrame(frame, opts)
  }

  flush(opts?: AbortOptions): Promise<void> {
    return this.queue.flush(opts)
  }
}
