/**
 * A repository: a VM directory (the working tree) with `.ankagit/` inside, holding refs, config,
 * the stat-cache index, and the object store, or a pointer to a shared one (store.path), so several
 * VM directories on one host store common chunks once. Layout: src/objects/FORMAT.md § Repository layout.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { sha256Hex } from './lazy-crypto.js'
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
  // fs-extra is loaded here, not at the top: it took ~100 ms to load, and only init and clone need it.
  const fse = (await import('fs-extra')).default
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
  if (o.sharedStore) {
    const store = path.resolve(o.sharedStore)
    await fse.ensureDir(path.join(store, 'packs'))
    fs.writeFileSync(path.join(tmp, STORE_FILE), store + '\n')
    registerStoreUser(store, gitdir)
  } else {
    await fse.ensureDir(path.join(tmp, 'objects', 'packs'))
  }
  // Rename last, so a crash never leaves a half-made .ankagit that looks like a repository.
  fs.renameSync(tmp, gitdir)
  return openRepository({ dir, search: false })
}

/** `.ankagit/store` names a shared object store (git's alternates idea); absent means `.ankagit/objects`.
 *  A plain file, not config, so opening a repository reads no config at all. */
export const STORE_FILE = 'store'
/** `<store>/users/<hash>` files name every repository using a shared store, so gc there can find all refs. */
export const STORE_USERS_DIR = 'users'

function registerStoreUser(store: string, gitdir: string): void {
  const dir = path.join(store, STORE_USERS_DIR)
  fs.mkdirSync(dir, { recursive: true })
  const name = sha256Hex(gitdir).slice(0, 32)
  fs.writeFileSync(path.join(dir, name), gitdir + '\n')
}

/** Repositories registered as users of a shared store (their .ankagit paths), existing ones only. */
export function storeUsers(store: string): string[] {
  let names: string[]
  try {
    names = fs.readdirSync(path.join(store, STORE_USERS_DIR))
  } catch {
    return []
  }
  const out: string[] = []
  for (const n of names) {
    const gitdir = fs.readFileSync(path.join(store, STORE_USERS_DIR, n), 'utf8').trim()
    if (fs.existsSync(path.join(gitdir, 'HEAD'))) out.push(gitdir)
  }
  return out
}

export function storeDir(gitdir: string): string {
  try {
    return fs.readFileSync(path.join(gitdir, STORE_FILE), 'utf8').trim()
  } catch {
    return path.join(gitdir, 'objects')
  }
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
  return { dir, gitdir, objects: new ObjectStore(new LocalBackend(storeDir(gitdir))), refs: new FileRefStore(gitdir), config: new RepoConfig(gitdir) }
}

function findRoot(start: string): string | undefined {
  for (let d = start; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, GITDIR_NAME, 'HEAD'))) return d
    if (path.dirname(d) === d) return undefined
  }
}
