import { Command } from 'commander'

import { type CliIo, type OutputFlags, formatBytes, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeCommitCommand(io: CliIo): Command {
  return withOutputOptions(new Command('commit'))
    .description('record the VM directory as a new commit; only chunks the store lacks are stored')
    .requiredOption('-m, --message <msg>', 'commit message')
    .option('--memory <file>', 'the memory-state file of a suspended VM (default: first match of config vm.memory)')
    .option('--allow-empty', 'record a commit even if nothing changed')
    .addHelpText('after', `
Prints the new commit id. With --json: {"id","tree","parents","branch","suspended","files","filesRead",
"newChunks","newBytes","storedBytes"}. Exits 1 with "nothing to commit" when the VM is unchanged.

Exit status: 1 when there is nothing to commit, 4 when another ankagit process holds the
repository, 9 while an interrupted checkout is unfinished (finish it with checkout --force).

Examples:
  ankagit commit -m "Xcode 17.1"
  ankagit commit -m "suspended with build caches warm" --memory memory.img --json`)
    .action(async (flags: OutputFlags & { message: string; memory?: string; allowEmpty?: boolean }) => {
      const { commit } = await import('../commands/commit.js')
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      try {
        const r = await commit({ repo, message: flags.message, memory: flags.memory, allowEmpty: flags.allowEmpty, env: io.env, onProgress: progress.onProgress })
        progress.done()
        if (flags.json) io.out(JSON.stringify(r))
        else if (!flags.quiet) {
          io.out(`[${r.branch ?? 'detached HEAD'} ${r.id.slice(0, 12)}] ${flags.message.split('\n')[0]}`)
          io.out(` ${r.files} files (${r.filesRead} read), ${r.newChunks} new chunks, ${formatBytes(r.newBytes)} new data, ${formatBytes(r.storedBytes)} stored${r.suspended ? `, suspended (${r.suspended.memory})` : ''}`)
        }
      } finally {
        progress.done()
      }
    })
}
