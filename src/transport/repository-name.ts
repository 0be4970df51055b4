/**
 * Repository names on a daemon (PROTOCOL.md § 2): one URL path segment that is also a directory
 * name, so lowercase only (names must mean the same on case-insensitive file systems), no '..',
 * no '.lock' suffix, at most 100 bytes.
 */
import { InvalidArgumentError } from '../errors.js'

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/

/** Why name is not a repository name, or undefined when it is one. */
export function repositoryNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name === '') return 'empty'
  if (!NAME_RE.test(name)) return "use 1 to 100 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
  if (name.includes('..')) return "contains '..'"
  if (name.endsWith('.lock')) return "ends with '.lock'"
  return undefined
}

export function checkRepositoryName(name: string): string {
  const problem = repositoryNameProblem(name)
  if (problem) throw new InvalidArgumentError(`invalid repository name '${String(name).slice(0, 100).replace(/[\x00-\x1f\x7f]/g, '?')}': ${problem}`, { name })
  return name
}
