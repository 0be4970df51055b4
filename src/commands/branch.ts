/**
 * `ankagit branch`: branches are refs under refs/heads/ that hold commits. Listing marks the one
 * HEAD names; creating starts at HEAD or a revision; deleting refuses the current branch and, unless
 * forced (git's -D), a branch whose commits HEAD does not contain, because they could then be lost.
 */
import { isAncestor } from '../objects/ancestry.js'
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { AnkagitError, InvalidArgumentError, NotFoundError, RefConflictError, throwIfAborted } from '../errors.js'
import { type RefName, checkBranchName, parseRefName } from '../refs/ref-name.js'
import { readCommit } from '../objects/read.js'
import { resolveCommitish } from './revision.js'

const HEADS = 'refs/heads/'
const HEAD = parseRefName('HEAD')

export interface BranchInfo {
  name: string
  ref: RefName
  id: ObjectId
  current: boolean
}

export interface BranchList {
  branches: BranchInfo[]
  /** The branch HEAD names, even when it has no commit yet; absent when HEAD is detached. */
  current?: string
  /** The commit of a detached HEAD. */
  detached?: ObjectId
}

export async function listBranches(o: AbortOptions & { repo: Repository }): Promise<BranchList> {
  const head = await o.repo.refs.readHead(o)
  const currentRef = 'symbolic' in head ? head.symbolic : undefined
  const branches: BranchInfo[] = []
  for await (const [ref, id] of o.repo.refs.list(HEADS, o)) branches.push({ name: ref.slice(HEADS.length), ref, id, current: ref === currentRef })
  const list: BranchList = { branches }
  if (currentRef) list.current = currentRef.slice(HEADS.length)
  else list.detached = (head as { id: ObjectId }).id
  return list
}

export interface CreateBranchOptions extends AbortOptions {
  repo: Repository
  name: string
  /** Where the branch starts; default HEAD. Must name a commit (tags are followed). */
  rev?: string
  /** Move an existing branch (not the current one). */
  force?: boolean
}

export interface CreateBranchResult {
  name: string
  ref: RefName
  id: ObjectId
  /** The commit the branch held before, when force moved it. */
  replaced?: ObjectId
}

export async function createBranch(o: CreateBranchOptions): Promise<CreateBranchResult> {
  const { repo } = o
  const ref = checkBranchName(o.name)
  const id = await resolveCommitish(repo, o.rev ?? 'HEAD', o)
  const before = (await repo.refs.read(ref, o)) ?? null
  if (before !== null) {
    if (!o.force) throw new RefConflictError(`a branch named '${o.name}' already exists`, { name: ref, expected: null, actual: before })
    if (await isCurrent(repo, ref, o)) throw new InvalidArgumentError(`cannot force update the current branch '${o.name}'`, { name: o.name })
  }
  try {
    await repo.refs.update([{ name: ref, next: id, expect: before, message: `branch: ${before ? 'Reset' : 'Created from'} ${o.rev ?? 'HEAD'}` }], o)
  } catch (err) {
    if (err instanceof RefConflictError && before === null) {
      throw new RefConflictError(`a branch named '${o.name}' already exists`, { name: ref, expected: null, actual: (err.data.actual as string | null) ?? null })
    }
    throw err
  }
  const result: CreateBranchResult = { name: o.name, ref, id }
  if (before !== null && before !== id) result.replaced = before
  return result
}

export interface DeleteBranchOptions extends AbortOptions {
  repo: Repository
  name: string
  /** Delete even when HEAD does not contain the branch's commits (git -D). */
  force?: boolean
}

export async function deleteBranch(o: DeleteBranchOptions): Promise<{ name: string; id: ObjectId }> {
  const { repo } = o
  const ref = checkBranchName(o.name)
  const id = await repo.refs.read(ref, o)
  if (id === undefined) throw new NotFoundError(`branch '${o.name}' not found`, { name: o.name })
  if (await isCurrent(repo, ref, o)) throw new InvalidArgumentError(`cannot delete branch '${o.name}' checked out at '${repo.dir}'`, { name: o.name })
  if (!o.force) {
    const head = await repo.refs.read(HEAD, o)
    if (head === undefined || !(await isAncestor(repo.objects, id, head, o))) {
      throw new AnkagitError('EDIRTY', `the branch '${o.name}' is not fully merged; if you are sure you want to delete it, run 'ankagit branch -D ${o.name}'`, { name: o.name })
    }
  }
  await repo.refs.update([{ name: ref, next: null, expect: id, message: 'branch: deleted' }], o)
  return { name: o.name, id }
}

async function isCurrent(repo: Repository, ref: RefName, opts: AbortOptions): Promise<boolean> {
  const head = await repo.refs.readHead(opts)
  return 'symbolic' in head && head.symbolic === ref
}
