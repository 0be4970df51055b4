import { Command } from 'commander'

import { type CliIo, type OutputFlags, formatBytes, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeStatusCommand(io: CliIo): Command {
  return withOutputOptions(new Command('status'))
    .description('show how the VM directory differs from HEAD')
    .addHelpText('after', `
Files whose size, times and inode match the index are not read. Warns when HEAD is a suspended VM
whose disk changed since (resuming it would corrupt the VM), and when a checkout was interrupted.

Exit status: 0 whether or not anything changed (read --json to tell), 3 outside a repository.

Examples:
  ankagit status
  ankagit status --json   # {"branch","head","clean","changes":[{"path","state"}],"suspended","warnings"}`)
    .action(async (flags: OutputFlags) => {
      const { status } = await import('../commands/status.js')
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const r = await status({ repo, onProgress: progress.onProgress })
      progress.done()
      if (flags.json) return io.out(JSON.stringify(r))
      for (const w of r.warnings) io.err(`warning: ${w}`)
      if (flags.quiet) return
      io.out(r.branch ? `On branch ${r.branch}` : `HEAD detached at ${r.head?.slice(0, 12)}`)
      if (!r.head) io.out('\nNo commits yet')
      if (r.suspended) io.out(`HEAD is a suspended VM (memory state '${r.suspended.memory}')`)
      if (r.changes.length === 0) return io.out(r.checkoutInterrupted ? '' : '\nnothing to commit, working tree clean')
      io.out('\nChanges not committed:')
      for (const c of r.changes) io.out(`\t${(c.state + ':').padEnd(10)} ${c.path}${c.size !== undefined ? `  (${formatBytes(c.size)})` : ''}`)
    })
}
