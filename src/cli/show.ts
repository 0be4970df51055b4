import { Command } from 'commander'

import { type CliIo, type OutputFlags, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'

import { commitJson, formatCommit, formatTag } from './commit-format.js'

import { formatStat, terminalWidth } from './diff-format.js'


export function makeShowCommand(io: CliIo): Command {
  return withOutputOptions(new Command('show'))
    .description('show a commit (or an annotated tag and its commit) with the files it changed')
    .argument('[revision]', 'what to show', 'HEAD')
    .addHelpText('after', `
Output: for an annotated tag, "tag <name>", Tagger, Date and its message first; then "commit <id>",
Author, Date, "Suspended: <memory file>" when the VM was suspended, the message indented, and a
summary of the files changed against the first parent: one line per file with the bytes changed
and a bar, then a total line with the bytes a transfer would need. A first commit shows every
file as added. --json: {"tags":[{"id","tag"}],"commit":{...},"parent","files":[...],
"changedBytes","transferBytes"}.
Exit status: 10 when the revision does not exist, 2 when it is not a commit or tag.

Examples:
  ankagit show
  ankagit show v14.2
  ankagit show HEAD~1 --json`)
    .action(async (revision: string, flags: OutputFlags) => {
      const { show } = await import('../commands/show.js')
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const r = await show({ repo, rev: revision, onProgress: progress.onProgress })
      progress.done()
      if (flags.json) {
        const { id, commit, ...rest } = r
        return io.out(JSON.stringify({ ...rest, commit: commitJson(id, commit) }))
      }
      if (flags.quiet) return
      for (const t of r.tags) {
        io.out(formatTag(t.tag))
        io.out('')
      }
      io.out(formatCommit(r.id, r.commit))
      const stat = formatStat(r, terminalWidth(io))
      if (stat.length) io.out('\n' + stat.join('\n'))
    })
}
