import { Command } from 'commander'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeRemoteCommand(io: CliIo): Command {
  const cmd = new Command('remote').description('manage the registries this VM directory pushes to and pulls from')
  cmd.addHelpText('after', `
Exit status: 2 when the remote already exists or the URL is invalid, 10 when it does not exist.

Examples:
  ankagit remote add origin http://registry:8089/macos-runner
  ankagit remote list
  ankagit remote remove origin`)
  cmd.addCommand(
    new Command('add').description('add a named registry URL').argument('<name>').argument('<url>').action(async (name: string, url: string) => {
      const { remoteAdd, remoteList, remoteRemove } = await import('../commands/remote.js')
      await remoteAdd({ repo: await openCliRepository(io), name, url })
    }),
  )
  cmd.addCommand(
    new Command('remove').alias('rm').description('remove a remote and its remote-tracking refs').argument('<name>').action(async (name: string) => {
      const { remoteAdd, remoteList, remoteRemove } = await import('../commands/remote.js')
      await remoteRemove({ repo: await openCliRepository(io), name })
    }),
  )
  cmd.addCommand(
    withOutputOptions(new Command('list')).description('list remotes (name and URL)').action(async (flags: OutputFlags) => {
      const { remoteAdd, remoteList, remoteRemove } = await import('../commands/remote.js')
      const list = await remoteList({ repo: await openCliRepository(io) })
      if (flags.json) io.out(JSON.stringify(list))
      else if (!flags.quiet) for (const r of list) io.out(`${r.name}\t${r.url}`)
    }),
  )
  return cmd
}
