/**
 * `ankagit clone URL [DIR]`: a new VM directory from a registry. With --shared-store, chunks already
 * on this host (other VMs, older versions) are not fetched again. An interrupted clone leaves a
 * repository whose verified objects are kept: running the same clone again resumes it.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ProgressOptions } from '../options.js'
import { InvalidArgumentError, NotFoundError } from '../errors.js'
import { GITDIR_NAME, type Repository, initRepository, openRepository } from '../repository.js'
import { checkBranchName, parseRefName } from '../refs/ref-name.js'
import { withRepoLock } from '../worktree/lock.js'
import { type CheckoutResult, switchWorktree } from './checkout.js'
import { type FetchCommandResult, fetch } from './fetch.js'

export interface CloneOptions extends ProgressOptions {
  url: string
  /** Default: the last part of the URL, in the current directory. */
  dir?: string
  /** Branch to check out; default the registry's HEAD branch. */
  branch?: string
  sharedStore?: string
  token?: string
  caFile?: string
  env?: NodeJS.ProcessEnv
}

export interface CloneResult {
  dir: string
  branch?: string
  resumed: boolean
  fetch: FetchCommandResult
  checkout?: CheckoutResult
}

export async function clone(o: CloneOptions): Promise<CloneResult> {
  const dir = path.resolve(o.dir ?? (new URL(o.url).pathname.split('/').filter(Boolean).pop() ?? 'vm'))
  const { repo, resumed } = await prepare(dir, o)
  const fetched = await fetch({ ...o, repo, remote: 'origin' })
  const branch = o.branch ?? fetched.head?.replace(/^refs\/heads\//, '') ?? 'main'
  const tracking = parseRefName(`refs/remotes/origin/${branch}`)
  const id = await repo.refs.read(tracking, o)
  const result: CloneResult = { dir, resumed, fetch: fetched }
  if (!id) {
    if (o.branch) throw new NotFoundError(`remote branch '${branch}' not found in ${o.url}`, { branch })
    return result // an empty registry repository: nothing to check out, as git warns and goes on
  }
  const local = checkBranchName(branch)
  result.branch = branch
  result.checkout = await withRepoLock(repo, () =>
    switchWorktree({
      repo,
      id,
      force: resumed,
      signal: o.signal,
      onProgress: o.onProgress,
      moveRefs: async () => {
        await repo.refs.update([{ name: local, next: id, message: `clone: from ${o.url}` }], o)
        await repo.refs.writeHead({ symbolic: local }, { message: `clone: from ${o.url}` })
      },
    }),
  )
  await repo.config.set(`branch.${branch}.remote`, 'origin')
  await repo.config.set(`branch.${branch}.merge`, local)
  return result
}

/** A new repository in an absent or empty directory, or the one an interrupted clone of the same URL left. */
async function prepare(dir: string, o: CloneOptions): Promise<{ repo: Repository; resumed: boolean }> {
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : []
  if (entries.includes(GITDIR_NAME)) {
    const repo = await openRepository({ dir, search: false })
    const same = (await repo.config.get('remote.origin.url')) === o.url
    const unborn = (await repo.refs.read(parseRefName('HEAD'))) === undefined
    if (same && unborn) return { repo, resumed: true }
  }
  if (entries.length > 0) throw new InvalidArgumentError(`destination path '${dir}' already exists and is not an empty directory`)
  const repo = await initRepository({ dir, sharedStore: o.sharedStore })
  await repo.config.addRemote('origin', o.url)
  return { repo, resumed: false }
}
