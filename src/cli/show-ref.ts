import { Command } from 'commander'

import { NotFoundError } from '../errors.js'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


interface ShowRefFlags extends OutputFlags {
  heads?: boolean
  tags?: boolean
  head?: boolean
  dereference?: boolean
}

export function makeShowRefCommand(io: CliIo): Command {
  return withOutputOptions(new Command('show-ref'))
    .description('list refs with the ids they hold')
    .argument('[pattern...]', "only refs whose full name is the pattern or ends with '/<pattern>'")
    .option('--heads', 'only branches (refs/heads/)')
    .option('--tags', 'only tags (refs/tags/)')
    .option('--head', 'list HEAD first')
    .option('-d, --dereference', "add '<id> <ref>^{}' after each annotated tag: the object it names")
    .addHelpText('after', `
Output: "<id> <ref>" per line, sorted by ref name. --json: [{"name","id","peeled"}].
Exit status: 10 when no ref matches (git exits 1 silently there; ankagit says why).

Examples:
  ankagit show-ref
  ankagit show-ref --tags -d
  ankagit show-ref main`)
    .action(async (patterns: string[], flags: ShowRefFlags) => {
      const { showRef } = await import('../commands/show-ref.js')
      const repo = await openCliRepository(io)
      const refs = await showRef({ repo, heads: flags.heads, tags: flags.tags, head: flags.head, dereference: flags.dereference, patterns })
      if (refs.length === 0) throw new NotFoundError(patterns.length ? `no ref matches ${patterns.map((p) => `'${p}'`).join(', ')}` : 'no refs')
      if (flags.json) return io.out(JSON.stringify(refs))
      if (flags.quiet) return
      for (const r of refs) {
        io.out(`${r.id} ${r.name}`)
        if (r.peeled) io.out(`${r.peeled} ${r.name}^{}`)
      }
    })
}
