import { Command } from 'commander'

import { InvalidArgumentError } from '../errors.js'

import { matchesPattern } from '../config.js'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


interface TagFlags extends OutputFlags {
  annotate?: boolean
  message?: string
  force?: boolean
  delete?: boolean
  list?: boolean
}

export function makeTagCommand(io: CliIo): Command {
  return withOutputOptions(new Command('tag'))
    .description('list, create or delete tags (lightweight refs, or annotated tag objects with -a/-m)')
    .usage('[options] [<name> [<revision>]] | -d <name>... | -l [<pattern>...]')
    .argument('[args...]', 'a tag name and what to tag (default HEAD); with -d the tags to delete; with -l patterns')
    .option('-a, --annotate', 'make an annotated tag object (needs -m)')
    .option('-m, --message <msg>', 'the tag message; implies -a')
    .option('-f, --force', 'replace an existing tag of that name')
    .option('-d, --delete', 'delete the named tags')
    .option('-l, --list', 'list tags, only those matching the shell patterns given')
    .addHelpText('after', `
Without a name, lists tags sorted by name, one per line. A lightweight tag is a ref,
refs/tags/<name>, naming a commit; an annotated tag (-a -m) is a tag object with a tagger, a date
and a message, which the ref names. An existing tag is replaced only with --force.

Output: nothing when a tag is created; "Updated tag '<name>' (was <id>)" when --force replaced one;
"Deleted tag '<name>' (was <id>)" per deleted tag. --json (list): [{"name","ref","id","annotated",
"target","targetKind"}]; --json (create or delete): the result object.
Exit status: 5 when the tag exists (without --force), 10 when a tag to delete does not exist,
2 for an invalid tag name.

Examples:
  ankagit tag                           # list
  ankagit tag v14.2                     # tag HEAD
  ankagit tag -a v14.2 -m "Xcode 16.2" main~1
  ankagit tag -l 'v14.*'
  ankagit tag -d v14.1`)
    .action(async (args: string[], flags: TagFlags) => {
      const { createTag, deleteTag, listTags } = await import('../commands/tag.js')
      const repo = await openCliRepository(io)
      if (flags.delete) {
        if (args.length === 0) throw new InvalidArgumentError('tag -d needs the name of a tag to delete')
        const deleted = []
        for (const name of args) {
          const r = await deleteTag({ repo, name })
          deleted.push(r)
          if (!flags.json && !flags.quiet) io.out(`Deleted tag '${r.name}' (was ${r.id.slice(0, 12)})`)
        }
        if (flags.json) io.out(JSON.stringify(deleted))
        return
      }
      if (flags.list || args.length === 0) {
        if (flags.annotate || flags.message !== undefined || flags.force) throw new InvalidArgumentError('a tag name is needed to create a tag')
        const tags = (await listTags({ repo })).filter((t) => args.length === 0 || args.some((p) => matchesPattern(t.name, p)))
        if (flags.json) io.out(JSON.stringify(tags))
        else if (!flags.quiet) for (const t of tags) io.out(t.name)
        return
      }
      if (args.length > 2) throw new InvalidArgumentError(`too many arguments: tag takes a name and one revision`)
      const r = await createTag({ repo, name: args[0]!, rev: args[1], annotate: flags.annotate, message: flags.message, force: flags.force, env: io.env })
      if (flags.json) io.out(JSON.stringify(r))
      else if (r.replaced && !flags.quiet) io.out(`Updated tag '${r.name}' (was ${r.replaced.slice(0, 12)})`)
    })
}
