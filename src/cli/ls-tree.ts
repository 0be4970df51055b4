import { Command } from 'commander'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeLsTreeCommand(io: CliIo): Command {
  return withOutputOptions(new Command('ls-tree'))
    .description('list the files of a commit (or of a directory or file in it)')
    .argument('<tree-ish>', 'a commit, tag or vm tree: HEAD, v14.2, main~1, an id')
    .argument('[path]', "a bundle path: 'dir' lists the entry itself, 'dir/' its contents")
    .option('-r, --recursive', 'descend into subdirectories, listing files only')
    .option('--name-only', 'print only the paths')
    .addHelpText('after', `
Output: "<mode> <kind> <id> <size>\\t<path>" per entry (mode in octal; kind 'file' for a file tree,
'vm' for a directory's vm tree; size '-' for a directory). --json: [{"path","mode","type","id","size"}].
Exit status: 10 when the revision or the path does not exist.

Examples:
  ankagit ls-tree HEAD
  ankagit ls-tree -r v14.2
  ankagit ls-tree HEAD Data/`)
    .action(async (treeish: string, path: string | undefined, flags: OutputFlags & { recursive?: boolean; nameOnly?: boolean }) => {
      const { formatTreeLine, lsTree } = await import('../commands/ls-tree.js')
      const repo = await openCliRepository(io)
      const entries = await lsTree({ repo, rev: treeish, path, recursive: flags.recursive })
      if (flags.json) return io.out(JSON.stringify(entries))
      if (flags.quiet) return
      for (const e of entries) io.out(flags.nameOnly ? e.path : formatTreeLine(e))
    })
}
