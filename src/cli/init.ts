import { Command } from 'commander'

import * as path from 'node:path'
import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'


export function makeInitCommand(io: CliIo): Command {
  return withOutputOptions(new Command('init'))
    .description('make a VM directory an ankagit repository (the VM files stay in place)')
    .argument('[dir]', 'the VM directory', '.')
    .option('--shared-store <path>', 'keep objects in a store shared with other VM directories on this host')
    .option('-b, --initial-branch <name>', 'name of the first branch', 'main')
    .addHelpText('after', `
Exit status: 2 when the directory already is a repository or an argument is invalid.

Examples:
  ankagit init                                  # in a VM bundle directory
  ankagit init ~/vms/runner --shared-store ~/vms/.store   # VMs that share chunks store them once`)
    .action(async (dir: string, flags: OutputFlags & { sharedStore?: string; initialBranch: string }) => {
      const { init } = await import('../commands/init.js')
      const r = await init({ dir: path.resolve(io.cwd, dir), sharedStore: flags.sharedStore && path.resolve(io.cwd, flags.sharedStore), initialBranch: flags.initialBranch })
      if (flags.json) io.out(JSON.stringify({ dir: r.dir, gitdir: r.gitdir, store: r.store }))
      else if (!flags.quiet) io.out(`Initialized empty ankagit repository in ${r.gitdir}`)
    })
}
