/**
 * `ankagit pull [REMOTE] [BRANCH]`: fetch, then fast-forward the current branch to the remote's
 * and make the VM directory hold it, writing only the chunks that differ. A branch that has local
 * commits the remote lacks is refused (non-fast-forward): ankagit does not merge disk images.
 */
import type { ProgressOptions } from '../options.js'
import { AnkagitError, NotFoundError, RefConflictError } from '../errors.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { isAncestor } from '../objects/ancestry.js'
import { parseRefName } from '../refs/ref-name.js'
import { withRepoLock } from '../worktree/lock.js'
import { type CheckoutResult, switchWorktree } from './checkout.js'
import { type FetchCommandResult, fetch } from './fetch.js'

export interface PullOptions extends ProgressOptions {
  repo: Repository
  remote?: string
  /** The remote branch; default the current branch's name. */
  branch?: string
  token?: string
  caFile?: string
  env?: NodeJS.ProcessEnv
}

export interface PullResult {
  fetch: FetchCommandResult
  branch: string
  old: ObjectId | null
  new: ObjectId
  status: 'up-to-date' | 'fast-forward'
  checkout?: CheckoutResult
}

export async function pull(o: PullOptions): Promise<PullResult> {
  const { repo } = o
  const remote = o.remote ?? 'origin'
  const head = await repo.refs.readHead(o)
  if (!('symbolic' in head)) throw new AnkagitError('EINVALID', `HEAD is detached; check out a branch before pulling`)
  const local = head.symbolic
  const branch = o.branch ?? local.replace(/^refs\/heads\//, '')
  const fetched = await fetch({ ...o, remote })
  const tracking = parseRefName(`refs/remotes/${remote}/${branch}`)
  const next = await repo.refs.read(tracking, o)
  if (!next) throw new NotFoundError(`remote '${remote}' has no branch '${branch}'`, { remote, branch })
  const old = (await repo.refs.read(local, o)) ?? null
  if (old === next) return { fetch: fetched, branch, old, new: next, status: 'up-to-date' }
  if (old && !(await isAncestor(repo.objects, old, next, o))) {
    throw new RefConflictError(`cannot fast-forward '${branch}' to ${remote}/${branch}: the local branch has commits the remote lacks`, { name: local, expected: old, actual: next })
  }
  const checkout = await withRepoLock(repo, () =>
    switchWorktree({
      ...o,
      id: next,
      moveRefs: () => repo.refs.update([{ name: local, next, expect: old, message: `pull ${remote} ${branch}: fast-forward` }], o),
    }),
  )
  return { fetch: fetched, branch, old, new: next, status: 'fast-forward', checkout }
}
