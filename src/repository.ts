/**
 * A repository: a VM directory (the working tree) with `.ankagit/` inside, holding refs, config,
 * the stat-cache index, and the object store, or a pointer to a shared one (store.path), so several
 * VM directories on one host store common chunks once. Layout: src/objects/FORMAT.md § Repository layout.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import fse from 'fs-extra'
import { AnkagitError, InvalidArgumentError } from './errors.js'
import { ObjectStore } from './objects/object-store.js'
import { LocalBackend } from './store/local.js'
import type { RefStore } from './refs/ref-store.js'
import { FileRefStore } from './refs/file-ref-store.js'
import { RepoConfig } from './config.js'
import { checkBranchName } from './refs/ref-name.js'

export const GITDIR_NAME = '.ankagit'

export interface Repository {
  /** The working tree: the VM bundle directory. */
  dir: string
  /** dir/.ankagit */
  gitdir: string
  objects: ObjectStore
  refs: RefStore
  config: RepoConfig
}

export interface InitOptions {
  dir: string
  /** A directory holding an object store shared by several VM directories (created if absent). */
  sharedStore?: string
  initialBranch?: string
}

/** Creates .ankagit in dir (which may already hold a VM). Re-running it on a repository is refused. */
export async function initRepository(o: InitOptions): Promise<Repository> {
  const dir = path.resolve(o.dir)
  const gitdir = path.join(dir, GITDIR_NAME)
  if (await fse.pathExists(gitdir)) throw new InvalidArgumentError(`'${dir}' is already an ankagit repository`)
  const branch = checkBranchName(o.initialBranch ?? 'main')
  await fse.ensureDir(dir)
  const tmp = `${gitdir}.init-${process.pid}`
  await fse.remove(tmp)
  await fse.ensureDir(path.join(tmp, 'refs', 'heads'))
  await fse.ensureDir(path.join(tmp, 'refs', 'tags'))
  fs.writeFileSync(path.join(tmp, 'config'), '[core]\n\trepositoryformatversion = 1\n')
  fs.writeFileSync(path.join(tmp, 'HEAD'), `ref: ${branch}\n`)
  const config = new RepoConfig(tmp)
  if (o.sharedStore) {
    const store = path.resolve(o.sharedStore)
    await fse.ensureDir(path.join(store, 'packs'))
    await config.set('store.path', store)
  } else {
    await fse.ensureDir(path.join(tmp, 'objects', 'packs'))
  }
  // Rename last, so a crash never leaves a half-made .ankagit that looks like a repository.
  fs.renameSync(tmp, gitdir)
  return openRepository({ dir, search: false })
}

export interface OpenOptions {
  /** Where to start looking; default the current directory. */
  dir?: string
  /** Look in parent directories too, as git does (default true). */
  search?: boolean
}

export async function openRepository(o: OpenOptions = {}): Promise<Repository> {
  const start = path.resolve(o.dir ?? process.cwd())
  const dir = o.search === false ? start : findRoot(start)
  const gitdir = path.join(dir ?? start, GITDIR_NAME)
  if (!dir || !fs.existsSync(path.join(gitdir, 'HEAD'))) {
    throw new AnkagitError('ENOREPO', `not an ankagit repository: '${start}' (run 'ankagit init' first)`)
  }
  const config = new RepoConfig(gitdir)
  const version = await config.get('core.repositoryformatversion')
  if (version !== '1') throw new AnkagitError('ENOREPO', `unsupported repository format version '${version}' in '${gitdir}'`)
  const storeDir = (await config.get('store.path')) ?? path.join(gitdir, 'objects')
  return { dir, gitdir, objects: new ObjectStore(new LocalBackend(storeDir)), refs: new FileRefStore(gitdir), config }
}

function findRoot(start: string): string | undefined {
  for (let d = start; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, GITDIR_NAME, 'HEAD'))) return d
    if (path.dirname(d) === d) return undefined
  }
}
