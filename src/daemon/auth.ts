/**
 * Bearer-token auth for the daemon (PROTOCOL.md § 8). The auth file holds one grant per line:
 *
 *     <token> <read|write> <repository pattern>
 *
 * '#' starts a comment; '*' in a pattern matches any run of characters; write implies read; a token
 * may have several lines. Tokens are at least 16 printable characters without spaces. Only their
 * SHA-256 is kept, every grant is compared on every request with timingSafeEqual (no early exit),
 * and no message ever includes a token.
 */
import * as fs from 'node:fs'
import { createHash, timingSafeEqual } from 'node:crypto'
import { InvalidArgumentError, fromFsError } from '../errors.js'
import type { Access, Authorizer } from '../transport/server-context.js'

export const TOKEN_MIN_LENGTH = 16

export interface Grant {
  tokenHash: Buffer
  access: Access
  pattern: string
  matches: (repo: string) => boolean
}

export function parseAuthFile(text: string, file: string): Grant[] {
  const grants: Grant[] = []
  text.split('\n').forEach((line, i) => {
    const fail = (why: string): never => {
      throw new InvalidArgumentError(`auth file '${file}' line ${i + 1}: ${why}`, { file, line: i + 1 })
    }
    const content = line.replace(/#.*$/, '').trim()
    if (content === '') return
    const fields = content.split(/\s+/)
    if (fields.length !== 3) fail('expected "<token> <read|write> <repository pattern>"')
    const [token, access, pattern] = fields as [string, string, string]
    if (token.length < TOKEN_MIN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) fail(`token must be at least ${TOKEN_MIN_LENGTH} printable characters`)
    if (access !== 'read' && access !== 'write') fail(`access must be 'read' or 'write', not '${access}'`)
    if (!/^[a-z0-9._*-]+$/.test(pattern)) fail(`bad repository pattern '${pattern}'`)
    const re = new RegExp('^' + pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*') + '$')
    grants.push({ tokenHash: sha256(token), access: access as Access, pattern, matches: (repo) => re.test(repo) })
  })
  return grants
}

export function loadAuthFile(file: string): Authorizer {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    throw fromFsError(err, `auth file '${file}'`)
  }
  return createAuthorizer(parseAuthFile(text, file))
}

export function createAuthorizer(grants: readonly Grant[]): Authorizer {
  return (token, repo, access) => {
    if (token === undefined) return 'unauthenticated'
    const hash = sha256(token)
    let known = false
    let allowed = false
    for (const g of grants) {
      const same = timingSafeEqual(hash, g.tokenHash)
      known ||= same
      if (same && (repo === undefined || g.matches(repo)) && (g.access === 'write' || access === 'read')) allowed = true
    }
    return allowed ? 'ok' : known ? 'forbidden' : 'unauthenticated'
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest()
}
