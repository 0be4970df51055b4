import { Command } from 'commander'

import { type CliIo, type OutputFlags, formatBytes, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeCheckoutCommand(io: CliIo): Command {
  return withOutputOptions(new Command('checkout'))
    .description('make the VM directory hold a branch, tag or commit')
    .argument('<revision>', 'branch, tag, commit id (or prefix), or expression like main~2')
    .option('-f, --force', 'overwrite local changes')
    .addHelpText('after', `
Only files that differ are written, and in them only the chunks that differ; holes stay sparse.
Refuses to overwrite uncommitted changes without --force. A branch name attaches HEAD to it;
anything else detaches HEAD.

Exit status: 9 when local changes would be lost (use --force), 10 when the revision does not
exist, 4 when another ankagit process holds the repository.

Examples:
  ankagit checkout v14.1
  ankagit checkout main
  ankagit checkout --force HEAD     # discard local changes`)
    .action(async (revision: string, flags: OutputFlags & { force?: boolean }) => {
      const { checkout } = await import('../commands/checkout.js')
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const r = await checkout({ repo, rev: revision, force: flags.force, onProgress: progress.onProgress })
      progress.done()
      if (flags.json) return io.out(JSON.stringify(r))
      if (flags.quiet) return
      io.out(r.branch ? `Switched to branch '${r.branch}'` : `HEAD is now at ${r.id.slice(0, 12)}`)
      io.out(` ${r.filesWritten} files written (${formatBytes(r.bytesWritten)}), ${r.filesRemoved} removed`)
    })
}
