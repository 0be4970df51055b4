import { Command } from 'commander'

import * as path from 'node:path'
import { type CliIo, type OutputFlags, formatBytes, makeProgress, withOutputOptions } from './io.js'

import { type RemoteFlags, remoteArgs, withRemoteOptions } from './remote-options.js'

import { formatFetch } from './transfer-format.js'


export function makeCloneCommand(io: CliIo): Command {
  return withRemoteOptions(withOutputOptions(new Command('clone')))
    .description('make a new VM directory from a registry repository')
    .argument('<url>', 'http(s)://HOST:PORT/NAME')
    .argument('[dir]', 'the new VM directory (default: NAME)')
    .option('-b, --branch <name>', 'branch to check out (default: the registry HEAD)')
    .option('--shared-store <path>', 'keep objects in a store shared with other VMs on this host; chunks it holds are not fetched')
    .addHelpText('after', `
Only chunks the local store lacks are fetched. An interrupted clone keeps every verified chunk:
run the same command again to resume. --json: {"dir","branch","resumed","fetch":{...},"checkout":{...}}.

Exit status: 2 when the destination is a non-empty directory, 7 when the registry cannot be
reached, 8 when the token is refused, 10 when the branch does not exist.

Examples:
  ankagit clone http://registry:8089/macos-runner
  ankagit clone https://registry:8443/macos-runner vm2 --shared-store ~/vms/.store --cacert ca.pem`)
    .action(async (url: string, dir: string | undefined, flags: OutputFlags & RemoteFlags & { branch?: string; sharedStore?: string }) => {
      const { clone } = await import('../commands/clone.js')
      const progress = makeProgress(io, flags)
      const target = dir ? path.resolve(io.cwd, dir) : undefined
      if (!flags.json && !flags.quiet) io.err(`Cloning into '${dir ?? new URL(url).pathname.split('/').filter(Boolean).pop()}'...`)
      const r = await clone({
        url,
        dir: target ?? path.resolve(io.cwd, new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'vm'),
        branch: flags.branch,
        sharedStore: flags.sharedStore && path.resolve(io.cwd, flags.sharedStore),
        ...remoteArgs(io, flags),
        onProgress: progress.onProgress,
      })
      progress.done()
      if (flags.json) return io.out(JSON.stringify(r))
      if (flags.quiet) return
      for (const line of formatFetch(r.fetch, url)) io.out(line)
      if (r.checkout) io.out(`checked out '${r.branch}': ${r.checkout.filesWritten} files, ${formatBytes(r.checkout.bytesWritten)} written`)
      else io.err('warning: the registry repository is empty')
    })
}
