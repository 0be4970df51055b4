/**
 * Repository configuration in git-config syntax at .ankagit/config, read and written through
 * isomorphic-git's config and remote functions (its GitConfigManager parses and rewrites the file),
 * so ankagit has no INI parser of its own and the file reads like a git user expects.
 */
import * as fs from 'node:fs'
import { InvalidArgumentError, NotFoundError } from './errors.js'

type Git = typeof import('isomorphic-git').default
let loaded: Promise<Git> | undefined
/** isomorphic-git is a 580 KB bundle that took ~100-200 ms to load here; only commands that read
 *  or write config load it, so a commit of an unchanged VM does not. */
function isogit(): Promise<Git> {
  loaded ??= import('isomorphic-git').then((m) => m.default)
  return loaded
}

/** Patterns of bundle file names chunked with aligned fixed-size chunks (disk and memory images). */
export const FIXED_CHUNKING_DEFAULT = ['*.img', '*.raw', '*.disk', '*.hdd', '*.asif', '*.dmg', '*.vmem', '*.vzvmsave', '*.qcow2', '*.vmdk']
/** Patterns of memory-state files: their presence marks a commit as suspended. */
export const MEMORY_FILES_DEFAULT = ['memory.img', 'state.vzvmsave', '*.vmem']

export class RepoConfig {
  constructor(readonly gitdir: string) {}

  async get(path: string): Promise<string | undefined> {
    const v = await (await isogit()).getConfig({ fs, gitdir: this.gitdir, path })
    return v === undefined || v === null ? undefined : String(v)
  }

  async getAll(path: string): Promise<string[]> {
    return (await (await isogit()).getConfigAll({ fs, gitdir: this.gitdir, path })).map(String)
  }

  async set(path: string, value: string | undefined): Promise<void> {
    await (await isogit()).setConfig({ fs, gitdir: this.gitdir, path, value })
  }

  async remotes(): Promise<Array<{ name: string; url: string }>> {
    return (await (await isogit()).listRemotes({ fs, gitdir: this.gitdir })).map((r) => ({ name: r.remote, url: r.url }))
  }

  async remoteUrl(name: string): Promise<string> {
    const url = await this.get(`remote.${name}.url`)
    if (!url) throw new NotFoundError(`no remote named '${name}'`, { remote: name })
    return url
  }

  async addRemote(name: string, url: string): Promise<void> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new InvalidArgumentError(`invalid remote name '${name}'`)
    if ((await this.remotes()).some((r) => r.name === name)) throw new InvalidArgumentError(`remote '${name}' already exists`)
    await (await isogit()).addRemote({ fs, gitdir: this.gitdir, remote: name, url })
  }

  async removeRemote(name: string): Promise<void> {
    await this.remoteUrl(name)
    await (await isogit()).deleteRemote({ fs, gitdir: this.gitdir, remote: name })
  }

  async fixedChunkingPatterns(): Promise<string[]> {
    const set = await this.getAll('chunking.fixed')
    return set.length ? set : FIXED_CHUNKING_DEFAULT
  }

  async memoryFilePatterns(): Promise<string[]> {
    const set = await this.getAll('vm.memory')
    return set.length ? set : MEMORY_FILES_DEFAULT
  }
}

/** Shell-style match of a bare file name against a pattern with '*' and '?'. */
export function matchesPattern(name: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$')
  return re.test(name)
}
