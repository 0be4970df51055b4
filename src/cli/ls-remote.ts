import { Command } from 'commander'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { type RemoteFlags, remoteArgs, withRemoteOptions } from './remote-options.js'


export function makeLsRemoteCommand(io: CliIo): Command {
  return withRemoteOptions(withOutputOptions(new Command('ls-remote')))
    .description('list the refs a registry repository advertises')
    .argument('<remote>', 'URL, or a remote name of the current repository')
    .addHelpText('after', `
Prints "<id>\\t<ref>" lines, HEAD's branch first as "ref: <branch>\\tHEAD".

Exit status: 7 when the registry cannot be reached, 8 when the token is refused, 10 when the
remote is not configured.

Examples:
  ankagit ls-remote http://registry:8089/macos-runner
  ankagit ls-remote origin --json`)
    .action(async (remote: string, flags: OutputFlags & RemoteFlags) => {
      const { lsRemote } = await import('../commands/ls-remote.js')
      const { openRepository } = await import('../repository.js')
      const { isUrl } = await import('../commands/connect.js')
      const repo = isUrl(remote) ? undefined : await openRepository({ dir: io.env.ANKAGIT_DIR ?? io.cwd })
      const r = await lsRemote({ repo, remote, ...remoteArgs(io, flags) })
      if (flags.json) return io.out(JSON.stringify(r))
      if (flags.quiet) return
      if (r.head) io.out(`ref: ${r.head}\tHEAD`)
      for (const ref of r.refs) io.out(`${ref.id}\t${ref.name}`)
    })
}
