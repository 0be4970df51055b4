/**
 * Commits: a text object in git's shape (FORMAT.md § Commits): header lines, a blank line, the message.
 * Besides git's headers a commit says whether the VM was suspended, naming its memory-state file,
 * because that state is only valid with the exact disk recorded in the same tree.
 */
import { type ObjectId, isObjectId } from './id.js'
import { type Signature, formatSignature, parseSignature } from './signature.js'
import { CorruptObjectError, InvalidArgumentError } from '../errors.js'
import { entryNameProblem } from './vm-tree.js'
import { encodesBackTo } from './bytes.js'

export interface Commit {
  tree: ObjectId
  parents: ObjectId[]
  author: Signature
  committer: Signature
  /** Present when the VM was suspended: the bundle path of its memory-state file. */
  suspended?: { memory: string }
  message: string
}

function checkBundlePath(p: string): boolean {
  return p.split('/').every((part) => entryNameProblem(part) === undefined)
}

export function encodeCommit(c: Commit): Buffer {
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`)]
  lines.push(`author ${formatSignature(c.author)}`, `committer ${formatSignature(c.committer)}`)
  if (c.suspended) {
    if (!checkBundlePath(c.suspended.memory)) throw new InvalidArgumentError(`invalid memory-state path '${c.suspended.memory}'`)
    lines.push(`suspended ${c.suspended.memory}`)
  }
  return Buffer.from(`${lines.join('\n')}\n\n${c.message}`, 'utf8')
}

export function decodeCommit(body: Uint8Array, what = 'commit'): Commit {
  const fail = (reason: string): never => {
    throw new CorruptObjectError(`${what} is corrupt: ${reason}`)
  }
  const text = Buffer.from(body).toString('utf8')
  const split = text.indexOf('\n\n')
  if (split < 0) fail('no blank line before the message')
  const headers = text.slice(0, split).split('\n')
  let i = 0
  const take = (key: string): string | undefined => {
    const line = headers[i]
    if (line === undefined || !line.startsWith(key + ' ')) return undefined
    i++
    return line.slice(key.length + 1)
  }
  const tree = take('tree')
  if (!tree || !isObjectId(tree)) return fail('bad tree line')
  const parents: ObjectId[] = []
  for (let p = take('parent'); p !== undefined; p = take('parent')) {
    if (!isObjectId(p)) fail('bad parent line')
    parents.push(p as ObjectId)
  }
  const author = parseSignature(take('author') ?? '') ?? fail('bad author line')
  const committer = parseSignature(take('committer') ?? '') ?? fail('bad committer line')
  const memory = take('suspended')
  if (memory !== undefined && !checkBundlePath(memory)) fail('bad suspended line')
  if (i !== headers.length) fail(`unexpected header '${headers[i]!.slice(0, 40)}'`)
  const commit: Commit = { tree, parents, author, committer, message: text.slice(split + 2) }
  if (memory !== undefined) commit.suspended = { memory }
  if (!encodesBackTo(body, () => encodeCommit(commit))) fail('not in canonical form')
  return commit
}
