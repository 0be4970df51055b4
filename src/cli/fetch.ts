import { Command } from 'commander'

import { type CliIo, type OutputFlags, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'

import { type RemoteFlags, remoteArgs, withRemoteOptions } from './remote-options.js'

import { formatFetch } from './transfer-format.js'


export function makeFetchCommand(io: CliIo): Command {
  return withRemoteOptions(withOutputOptions(new Command('fetch')))
    .description("download a registry's branches (as refs/remotes/REMOTE/*) and tags, and the chunks this host lacks")
    .argument('[remote]', 'remote name or URL', 'origin')
    .option('--dry-run', 'report exactly what would be received, in bytes, and receive nothing')
    .addHelpText('after', `
An up-to-date fetch is one request. --json reports refs, objects, bytes and requests.

Exit status: 10 when the remote is not configured, 7 when it cannot be reached, 8 when the
token is refused, 6 when it sends an object that does not match its id (nothing is stored).

Examples:
  ankagit fetch
  ankagit fetch origin --dry-run --json`)
    .action(async (remote: string, flags: OutputFlags & RemoteFlags & { dryRun?: boolean }) => {
      const { fetch } = await import('../commands/fetch.js')
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const r = await fetch({ repo, remote, dryRun: flags.dryRun, ...remoteArgs(io, flags), onProgress: progress.onProgress })
      progress.done()
      if (flags.json) io.out(JSON.stringify(r))
      else if (!flags.quiet) for (const line of formatFetch(r, r.url)) io.out(line)
    })
}
