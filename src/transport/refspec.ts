/**
 * Refspecs, git's form: "[+]<src>:<dst>", full ref names on both sides, with at most one '*' on
 * each side (both or neither) standing for the same part of the name. '+' allows updates that are
 * not fast-forwards. A fetch maps remote names (src) to local names (dst).
 */
import { InvalidArgumentError } from '../errors.js'
import { type RefName, refNameProblem } from '../refs/ref-name.js'

export interface Refspec {
  force: boolean
  src: string
  dst: string
}

export function parseRefspec(spec: string): Refspec {
  const fail = (why: string): never => {
    throw new InvalidArgumentError(`invalid refspec '${String(spec).slice(0, 200)}': ${why}`, { refspec: spec })
  }
  if (typeof spec !== 'string') return fail('not a string')
  const force = spec.startsWith('+')
  const body = force ? spec.slice(1) : spec
  const parts = body.split(':')
  if (parts.length !== 2) return fail("expected '<src>:<dst>'")
  const [src, dst] = parts as [string, string]
  const stars = (s: string) => s.split('*').length - 1
  if (stars(src) > 1 || stars(dst) > 1) return fail("more than one '*' on a side")
  if (stars(src) !== stars(dst)) return fail("'*' on one side only")
  for (const side of [src, dst]) {
    const problem = refNameProblem(side.replace('*', 'x'))
    if (problem) return fail(`'${side}' ${problem}`)
    if (!side.startsWith('refs/')) return fail(`'${side}' is not under refs/`)
  }
  return { force, src, dst }
}

/** The local name spec maps a remote ref to, or undefined when it does not match. */
export function mapRef(spec: Refspec, name: string): RefName | undefined {
  const star = spec.src.indexOf('*')
  if (star < 0) return name === spec.src ? (spec.dst as RefName) : undefined
  const prefix = spec.src.slice(0, star)
  const suffix = spec.src.slice(star + 1)
  if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length < prefix.length + suffix.length + 1) return undefined
  const middle = name.slice(prefix.length, name.length - suffix.length)
  const mapped = spec.dst.replace('*', middle)
  return refNameProblem(mapped) === undefined ? (mapped as RefName) : undefined
}

/** git's defaults for a named remote: every branch to remote-tracking refs (forced), tags as tags. */
export function defaultFetchRefspecs(remote: string): string[] {
  return [`+refs/heads/*:refs/remotes/${remote}/*`, 'refs/tags/*:refs/tags/*']
}
