import { Command } from 'commander'
import { log } from '../commands/log.js'
import { InvalidArgumentError } from '../errors.js'
import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'
import { openCliRepository } from './repo.js'
import { commitJson, formatCommit, subject } from './commit-format.js'

export function makeLogCommand(io: CliIo): Command {
  return withOutputOptions(new Command('log'))
    .description('show the commit history, newest first')
    .argument('[revision]', 'where to start', 'HEAD')
    .option('--oneline', 'one line per commit: short id and subject')
    .option('-n, --max-count <n>', 'show at most n commits')
    .addHelpText('after', `
Commits reachable from the revision, newest first by committer time, each once.
Output: per commit "commit <id>", Author, Date, "Suspended: <memory file>" for a suspended VM, and
the message indented by four spaces; --oneline: "<12-digit id> <subject>".
--json: [{"id","tree","parents","author","committer","suspended","message"}].
Exit status: 10 when the revision does not exist or the branch has no commit yet.

Examples:
  ankagit log
  ankagit log --oneline -n 5 v14.2
  ankagit log --json`)
    .action(async (revision: string, flags: OutputFlags & { oneline?: boolean; maxCount?: string }) => {
      let maxCount: number | undefined
      if (flags.maxCount !== undefined) {
        maxCount = Number(flags.maxCount)
        if (!Number.isInteger(maxCount) || maxCount < 0) throw new InvalidArgumentError(`invalid count '${flags.maxCount}' for -n: expected a whole number >= 0`)
      }
      const repo = await openCliRepository(io)
      const entries = []
      let first = true
      for await (const e of log({ repo, rev: revision, maxCount })) {
        if (flags.json) entries.push(commitJson(e.id, e.commit))
        else if (flags.quiet) continue
        else if (flags.oneline) io.out(`${e.id.slice(0, 12)} ${subject(e.commit.message)}`)
        else {
          io.out((first ? '' : '\n') + formatCommit(e.id, e.commit))
          first = false
        }
      }
      if (flags.json) io.out(JSON.stringify(entries))
    })
}
