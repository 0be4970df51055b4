import { Command } from 'commander'

import { InvalidArgumentError } from '../errors.js'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'

import { subject } from './commit-format.js'


interface BranchFlags extends OutputFlags {
  delete?: boolean
  D?: boolean
  force?: boolean
  verbose?: boolean
}

export function makeBranchCommand(io: CliIo): Command {
  return withOutputOptions(new Command('branch'))
    .description('list, create or delete branches')
    .usage('[options] [<name> [<revision>]] | -d <name>...')
    .argument('[args...]', 'a branch name and where it starts (default HEAD); with -d/-D the branches to delete')
    .option('-d, --delete', 'delete the named branches; refused for the current one and for one HEAD does not contain')
    .option('-D', 'delete even when HEAD does not contain the branch (--delete --force)')
    .option('-f, --force', 'move an existing branch (not the current one) to the new start')
    .option('-v, --verbose', 'list with each branch\'s commit id and subject')
    .addHelpText('after', `
Without a name, lists branches sorted by name, the current one marked with '*' (or
"* (HEAD detached at <id>)"). Names follow git's check-ref-format rules.

Output: the list; nothing when a branch is created; "Deleted branch <name> (was <id>)." per deleted
branch. --json (list): {"branches":[{"name","ref","id","current"}],"current","detached"}.
Exit status: 5 when the branch exists (without -f), 9 when -d would lose commits HEAD does not
contain (use -D), 10 when the branch or start point does not exist, 2 for an invalid name or for
deleting the current branch.

Examples:
  ankagit branch
  ankagit branch xcode-17 v14.2
  ankagit branch -d xcode-17
  ankagit branch -D experiment`)
    .action(async (args: string[], flags: BranchFlags) => {
      const { createBranch, deleteBranch, listBranches } = await import('../commands/branch.js')
      const { readCommit } = await import('../objects/read.js')
      const repo = await openCliRepository(io)
      if (flags.delete || flags.D) {
        if (args.length === 0) throw new InvalidArgumentError('branch -d needs the name of a branch to delete')
        const deleted = []
        for (const name of args) {
          const r = await deleteBranch({ repo, name, force: flags.D || flags.force })
          deleted.push(r)
          if (!flags.json && !flags.quiet) io.out(`Deleted branch ${r.name} (was ${r.id.slice(0, 12)}).`)
        }
        if (flags.json) io.out(JSON.stringify(deleted))
        return
      }
      if (args.length === 0) {
        const list = await listBranches({ repo })
        if (flags.json) return io.out(JSON.stringify(list))
        if (flags.quiet) return
        if (list.detached) io.out(`* (HEAD detached at ${list.detached.slice(0, 12)})`)
        const width = Math.max(0, ...list.branches.map((b) => b.name.length))
        for (const b of list.branches) {
          const extra = flags.verbose ? ` ${b.id.slice(0, 12)} ${subject((await readCommit(repo.objects, b.id)).message)}` : ''
          io.out(`${b.current ? '*' : ' '} ${flags.verbose ? b.name.padEnd(width) : b.name}${extra}`)
        }
        return
      }
      if (args.length > 2) throw new InvalidArgumentError('too many arguments: branch takes a name and one start point')
      const r = await createBranch({ repo, name: args[0]!, rev: args[1], force: flags.force })
      if (flags.json) io.out(JSON.stringify(r))
      else if (r.replaced && !flags.quiet) io.out(`Reset branch '${r.name}' (was ${r.replaced.slice(0, 12)})`)
    })
}
