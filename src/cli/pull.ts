import { Command } from 'commander'

import { type CliIo, type OutputFlags, formatBytes, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'

import { type RemoteFlags, remoteArgs, withRemoteOptions } from './remote-options.js'

import { formatFetch } from './transfer-format.js'


export function makePullCommand(io: CliIo): Command {
  return withRemoteOptions(withOutputOptions(new Command('pull')))
    .description('fetch, then fast-forward the current branch and the VM files to the registry version')
    .argument('[remote]', 'remote name or URL', 'origin')
    .argument('[branch]', 'remote branch (default: the current branch name)')
    .addHelpText('after', `
Only chunks this host lacks are fetched, and only chunks that differ are written. A branch with
local commits the registry lacks is refused (exit 5): ankagit does not merge disk images.

Exit status: 5 when the local branch has commits the registry lacks (not a fast-forward), 9 when
local changes would be lost, 7 and 8 as for fetch.

Examples:
  ankagit pull
  ankagit pull origin main --json`)
    .action(async (remote: string, branch: string | undefined, flags: OutputFlags & RemoteFlags) => {
      const { pull } = await import('../commands/pull.js')
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const r = await pull({ repo, remote, branch, ...remoteArgs(io, flags), onProgress: progress.onProgress })
      progress.done()
      if (flags.json) return io.out(JSON.stringify(r))
      if (flags.quiet) return
      for (const line of formatFetch(r.fetch, r.fetch.url)) io.out(line)
      if (r.status === 'up-to-date') return io.out('Already up to date.')
      io.out(`Updating ${r.old?.slice(0, 12) ?? '(none)'}..${r.new.slice(0, 12)}\nFast-forward`)
      if (r.checkout) io.out(` ${r.checkout.filesWritten} files written (${formatBytes(r.checkout.bytesWritten)}), ${r.checkout.filesRemoved} removed`)
    })
}
