/**
 * Text forms of commits and tags shared by `log` and `show`, in git's layout: a header line, Author
 * (or Tagger) and Date lines, then the message indented by four spaces. ankagit adds one line for a
 * suspended VM, naming its memory-state file.
 */
import type { ObjectId } from '../objects/id.js'
import type { Commit } from '../objects/commit.js'
import type { Tag } from '../objects/tag.js'
import type { Signature } from '../objects/signature.js'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** git's default date form, in the signer's own time zone: "Tue Nov 5 20:12:06 2025 +0100". */
export function formatGitDate(s: Signature): string {
  const d = new Date((s.time + s.tzOffset * 60) * 1000)
  const two = (n: number) => String(n).padStart(2, '0')
  const abs = Math.abs(s.tzOffset)
  const tz = `${s.tzOffset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}${two(abs % 60)}`
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${time} ${d.getUTCFullYear()} ${tz}`
}

export function subject(message: string): string {
  return message.split('\n')[0] ?? ''
}

/** "commit <id>", Author, Date, the suspended marker, a blank line and the indented message. */
export function formatCommit(id: ObjectId, c: Commit, decoration = ''): string {
  const lines = [`commit ${id}${decoration}`]
  if (c.parents.length > 1) lines.push(`Merge: ${c.parents.map((p) => p.slice(0, 12)).join(' ')}`)
  lines.push(`Author: ${c.author.name} <${c.author.email}>`, `Date:   ${formatGitDate(c.author)}`)
  if (c.suspended) lines.push(`Suspended: ${c.suspended.memory}`)
  lines.push('', ...indent(c.message))
  return lines.join('\n')
}

/** "tag <name>", Tagger, Date, a blank line and the message as written (git does not indent it). */
export function formatTag(t: Tag): string {
  const lines = [`tag ${t.name}`, `Tagger: ${t.tagger.name} <${t.tagger.email}>`, `Date:   ${formatGitDate(t.tagger)}`, '', t.message.replace(/\n$/, '')]
  return lines.join('\n')
}

/** JSON form of a commit for --json outputs. */
export function commitJson(id: ObjectId, c: Commit): Record<string, unknown> {
  return { id, tree: c.tree, parents: c.parents, author: c.author, committer: c.committer, suspended: c.suspended ?? null, message: c.message }
}

function indent(message: string): string[] {
  return message.replace(/\n$/, '').split('\n').map((l) => (l ? `    ${l}` : ''))
}
