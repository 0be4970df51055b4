import { Command } from 'commander'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeRevParseCommand(io: CliIo): Command {
  return withOutputOptions(new Command('rev-parse'))
    .description('print the full object id each revision names')
    .argument('<revision...>', 'refs, short names, ids or unique id prefixes (4+ digits), with ~N and ^N suffixes')
    .addHelpText('after', `
Revisions: HEAD (or @), a full ref name, a short name (tried as refs/<x>, refs/tags/<x>,
refs/heads/<x>, refs/remotes/<x>), a 64-digit id or a unique prefix of at least 4 digits, followed
by any of ~N (N-th first-parent ancestor), ^N (N-th parent) and ^0 (the commit a tag names).
A bare tag name gives the tag object's id, as in git.

Output: one id per line, in the order given. --json: an array of ids.
Exit status: 10 when a revision names nothing, 2 when one is malformed or an id prefix is ambiguous.

Examples:
  ankagit rev-parse HEAD
  ankagit rev-parse main~2 v14.2^0 3fa9`)
    .action(async (revisions: string[], flags: OutputFlags) => {
      const { revParse } = await import('../commands/rev-parse.js')
      const repo = await openCliRepository(io)
      const ids = await revParse({ repo, revs: revisions })
      if (flags.json) io.out(JSON.stringify(ids))
      else if (!flags.quiet) for (const id of ids) io.out(id)
    })
}
