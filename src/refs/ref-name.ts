/**
 * Ref names: git's check-ref-format rules plus a few of ours, checked before any name reaches a
 * filesystem path or a wire message. A full name is 'HEAD' or starts with 'refs/'.
 *
 * Ours on top of git's: ASCII only (names become file names on macOS and Linux alike, and
 * Unicode normalisation differs between them), at most 255 bytes (a common file-name limit, and a
 * bound for the protocol), no empty component ('//' is refused, not collapsed), and no component
 * that is exactly '@' (so '@' in a revision always means HEAD).
 */
import { InvalidArgumentError } from '../errors.js'

export type RefName = string & { readonly __refName: unique symbol }

export const MAX_REF_NAME_BYTES = 255

// Bytes git forbids anywhere in a name: space ~ ^ : ? * [ \ and the control bytes (checked apart).
const FORBIDDEN_CHARS = ' ~^:?*[\\'

/** The first rule that name breaks, in words, or undefined when it is a valid full ref name. */
export function refNameProblem(name: string): string | undefined {
  if (typeof name !== 'string') return 'not a string'
  if (name === '') return 'empty'
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return 'contains a control byte'
    if (c > 0x7f) return 'contains a non-ASCII character'
    if (FORBIDDEN_CHARS.includes(name[i]!)) return `contains '${name[i]}'`
  }
  if (name.length > MAX_REF_NAME_BYTES) return `longer than ${MAX_REF_NAME_BYTES} bytes`
  if (name === 'HEAD') return undefined
  if (name.startsWith('/')) return "starts with '/'"
  if (!name.startsWith('refs/')) return "does not start with 'refs/' and is not 'HEAD'"
  if (name.endsWith('/')) return "ends with '/'"
  if (name.includes('//')) return "contains '//'"
  if (name.includes('..')) return "contains '..'"
  if (name.includes('@{')) return "contains '@{'"
  if (name.endsWith('.')) return "ends with '.'"
  const parts = name.split('/')
  if (parts.length < 2) return "has no name after 'refs/'"
  for (const part of parts) {
    if (part.startsWith('.')) return `has a component starting with '.' ('${part}')`
    if (part.endsWith('.lock')) return `has a component ending with '.lock' ('${part}')`
    if (part === '@') return "has a component that is exactly '@'"
  }
  return undefined
}

/** Quotes a name for a one-line message: control bytes shown as \xNN, long names cut. */
export function quoteRefName(name: string): string {
  const shown = name.length > 80 ? `${name.slice(0, 80)}...` : name
  return `'${shown.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`
}

export function isValidRefName(name: string): name is RefName {
  return refNameProblem(name) === undefined
}

/** Checks a full ref name ('HEAD' or 'refs/...'); throws InvalidArgumentError naming the rule broken. */
export function parseRefName(name: string): RefName {
  const problem = refNameProblem(name)
  if (problem !== undefined) {
    throw new InvalidArgumentError(`invalid ref name ${quoteRefName(String(name))}: ${problem}`, { name, rule: problem })
  }
  return name as RefName
}

/** 'main' -> 'refs/heads/main', validated. */
export function checkBranchName(short: string): RefName {
  return checkShortName('branch', 'refs/heads/', short)
}

/** 'v1' -> 'refs/tags/v1', validated. */
export function checkTagName(short: string): RefName {
  return checkShortName('tag', 'refs/tags/', short)
}

function checkShortName(what: string, prefix: string, short: string): RefName {
  const fail = (problem: string): never => {
    throw new InvalidArgumentError(`invalid ${what} name ${quoteRefName(String(short))}: ${problem}`, { name: short, rule: problem })
  }
  if (typeof short !== 'string' || short === '') return fail('empty')
  // A leading '-' would read as an option on a command line; git refuses it for the same reason.
  if (short.startsWith('-')) return fail("starts with '-'")
  if (short === 'HEAD') return fail("is 'HEAD'")
  const full = prefix + short
  const problem = refNameProblem(full)
  if (problem !== undefined) return fail(problem.startsWith('longer') ? `longer than ${MAX_REF_NAME_BYTES} bytes as '${prefix}...'` : problem)
  return full as RefName
}
