/**
 * FileRepositories: a daemon root's repos/ directory, one FileRefStore per repository:
 *
 *     <root>/repos/<name>/     HEAD, refs/, logs/ (FileRefStore's layout)
 *
 * A repository is built under a temporary name (starting with '.', so never a valid repository
 * name) and renamed into place, so a crash never leaves half a repository and two first pushes
 * racing, in one process or several, end with one.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { randomHex } from '../lazy-crypto.js'
import fse from 'fs-extra'
import type { AbortOptions } from '../options.js'
import { NotFoundError, fromFsError, throwIfAborted } from '../errors.js'
import { FileRefStore } from '../refs/file-ref-store.js'
import { INITIAL_BRANCH } from '../refs/ref-store.js'
import { repositoryNameProblem } from '../transport/repository-name.js'
import { DAEMON_WHO, type Repositories } from './repositories.js'

export class FileRepositories implements Repositories {
  readonly location: string
  /** Stores of repositories seen to exist; a FileRefStore reads its files on every call. */
  private readonly known = new Map<string, FileRefStore>()

  constructor(readonly dir: string) {
    this.location = `local ${dir}`
  }

  async open(name: string, opts?: AbortOptions): Promise<FileRefStore | undefined> {
    throwIfAborted(opts?.signal)
    const cached = this.known.get(name)
    if (cached) return cached
    const dir = path.join(this.dir, name)
    if (!fs.existsSync(path.join(dir, 'HEAD'))) return undefined
    const refs = new FileRefStore(dir, { who: DAEMON_WHO })
    this.known.set(name, refs)
    return refs
  }

  async create(name: string, opts?: AbortOptions): Promise<FileRefStore> {
    const existing = await this.open(name, opts)
    if (existing) return existing
    const tmp = path.join(this.dir, `.new-${name}-${randomHex(6)}`)
    try {
      await fse.ensureDir(path.join(tmp, 'refs', 'heads'))
      await fse.ensureDir(path.join(tmp, 'refs', 'tags'))
      fs.writeFileSync(path.join(tmp, 'HEAD'), `ref: ${INITIAL_BRANCH}\n`)
      fs.renameSync(tmp, path.join(this.dir, name))
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
    let names: string[]
    try {
      names = fs.readdirSync(this.dir)
    } catch (err) {
      throw fromFsError(err, `repositories directory '${this.dir}'`)
    }
    return names.filter((n) => repositoryNameProblem(n) === undefined && fs.existsSync(path.join(this.dir, n, 'HEAD'))).sort()
  }
}
