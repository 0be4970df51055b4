import { Command } from 'commander'

import { type CliIo, type OutputFlags, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'

import { formatLong, formatStat, terminalWidth } from './diff-format.js'


export function makeDiffCommand(io: CliIo): Command {
  return withOutputOptions(new Command('diff'))
    .description('compare two versions of the VM, or a version with the VM directory')
    .argument('[from]', 'the old version', 'HEAD')
    .argument('[to]', 'the new version (default: the VM directory as it is now)')
    .option('--stat', 'one line per changed file with a bar of bytes changed, and a total')
    .addHelpText('after', `
Files are compared by their file trees, so unchanged regions of a multi-GB disk are not read.
Output: per file its status (added, deleted, modified, unchanged) and sizes; for a changed file
the bytes changed and in how many ranges (the first few as start-end offsets), the bytes a
transfer from the old version to the new one would need (chunks found nowhere in the old one), and
for small text files (config) a unified diff. A total line ends it.
--stat: " <path> | <bytes changed> +++" per changed file, scaled to the terminal, and a total.
--json: {"from","to","files":[{"path","status","oldSize","newSize","changedBytes","changedRanges",
"ranges","transferBytes","text"}],"changedBytes","transferBytes"}.
Exit status: 10 when a revision does not exist.

Examples:
  ankagit diff                  # the VM directory against HEAD
  ankagit diff v14.1 v14.2 --stat
  ankagit diff HEAD~1 HEAD --json`)
    .action(async (from: string, to: string | undefined, flags: OutputFlags & { stat?: boolean }) => {
      const { diff } = await import('../commands/diff.js')
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const r = await diff({ repo, from, to, all: !flags.stat, onProgress: progress.onProgress })
      progress.done()
      if (flags.json) return io.out(JSON.stringify(r))
      if (flags.quiet) return
      const lines = flags.stat ? formatStat(r, terminalWidth(io)) : formatLong(r)
      if (lines.length) io.out(lines.join('\n'))
    })
}
