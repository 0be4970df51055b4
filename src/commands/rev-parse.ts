/**
 * `ankagit rev-parse REV...`: the full object id each revision names (src/refs/revision.ts has the
 * grammar). Like git, a bare name is not peeled: a tag name gives the tag object's id, `v1^0` its commit.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { InvalidArgumentError } from '../errors.js'
import { resolve } from './revision.js'

export interface RevParseOptions extends AbortOptions {
  repo: Repository
  revs: readonly string[]
}

/** One id per revision, in the order given; the first revision that does not resolve throws. */
export async function revParse(o: RevParseOptions): Promise<ObjectId[]> {
  if (o.revs.length === 0) throw new InvalidArgumentError('no revision given')
  const ids: ObjectId[] = []
  for (const rev of o.revs) ids.push(await resolve(o.repo, rev, o))
  return ids
}
