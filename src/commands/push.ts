/**
 * `ankagit push [REMOTE] [REFSPEC...] [--tags] [--force] [--delete REF] [--dry-run]`: sends the
 * objects the registry lacks, then asks it to move the refs by compare-and-swap. Refspecs are git's
 * "[+]SRC[:DST]" with short or full names; no refspec pushes the current branch to the same name.
 */
import type { ProgressOptions } from '../options.js'
import { AnkagitError, InvalidArgumentError, NotFoundError } from '../errors.js'
import type { Repository } from '../repository.js'
import { type RefName, parseRefName } from '../refs/ref-name.js'
import { type PushResult, type PushUpdate, pushRefs } from '../transport/push-refs.js'
import { connect } from './connect.js'
import { resolve } from './revision.js'

export interface PushOptions extends ProgressOptions {
  repo: Repository
  remote?: string
  refspecs?: string[]
  tags?: boolean
  force?: boolean
  /** Remote refs to delete (short or full names). */
  delete?: string[]
  dryRun?: boolean
  token?: string
  caFile?: string
  env?: NodeJS.ProcessEnv
}

export async function push(o: PushOptions): Promise<PushResult & { remote: string; url: string }> {
  const { repo } = o
  const remoteArg = o.remote ?? 'origin'
  const updates: PushUpdate[] = []
  for (const spec of o.refspecs ?? []) updates.push(await parseSpec(repo, spec))
  if (!o.refspecs?.length && !o.tags && !o.delete?.length) {
    const head = await repo.refs.readHead(o)
    if (!('symbolic' in head)) throw new AnkagitError('EINVALID', 'HEAD is detached; name what to push, e.g. ankagit push origin HEAD:refs/heads/main')
    const id = await repo.refs.read(head.symbolic, o)
    if (!id) throw new NotFoundError(`branch '${head.symbolic.replace(/^refs\/heads\//, '')}' has no commits to push`)
    updates.push({ name: head.symbolic, next: id })
  }
  if (o.tags) for await (const [name, id] of repo.refs.list('refs/tags/')) updates.push({ name, next: id })
  for (const d of o.delete ?? []) updates.push({ name: await fullName(repo, d), next: null })
  const c = await connect({ repo, remote: remoteArg, token: o.token, caFile: o.caFile, env: o.env })
  try {
    const r = await pushRefs({ repo, remote: c.remote, remoteName: c.name, updates, force: o.force, dryRun: o.dryRun, onProgress: o.onProgress, signal: o.signal })
    return { ...r, remote: remoteArg, url: c.url }
  } finally {
    await c.remote.close()
  }
}

async function parseSpec(repo: Repository, spec: string): Promise<PushUpdate> {
  const force = spec.startsWith('+')
  const body = force ? spec.slice(1) : spec
  const [src, dst, extra] = body.split(':')
  if (extra !== undefined || !src) throw new InvalidArgumentError(`invalid refspec '${spec}'`)
  const next = await resolve(repo, src)
  const name = await fullName(repo, dst || src)
  return force ? { name, next, force } : { name, next }
}

/** A full remote ref name: as given when under refs/; a tag when only a local tag has that name; else a branch. */
async function fullName(repo: Repository, name: string): Promise<RefName> {
  if (name.startsWith('refs/')) return parseRefName(name)
  const branch = parseRefName(`refs/heads/${name}`)
  const tag = parseRefName(`refs/tags/${name}`)
  if ((await repo.refs.read(branch)) === undefined && (await repo.refs.read(tag)) !== undefined) return tag
  return branch
}
