import { Command } from 'commander'

import { type CliIo, type OutputFlags, formatBytes, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeCountObjectsCommand(io: CliIo): Command {
  return withOutputOptions(new Command('count-objects'))
    .description('count the objects, packs and bytes of the object store')
    .addHelpText('after', `
Output, one "key: value" line each: objects (and per kind), chunk data (raw bytes of the distinct
chunks), packs, pack bytes, index bytes, unindexed packs and temp files (debris of interrupted
writes, which gc removes once older than its grace period). Objects held by two packs count once.
--json: {"objects","byKind":{"chunk","file","vm","commit","tag"},"packs","packBytes","indexBytes",
"chunkBytes","unindexedPacks","unindexedBytes","tmpFiles","tmpBytes"} (bytes as exact integers).

Exit status: 3 outside a repository, 6 when a pack index is corrupt.

Examples:
  ankagit count-objects
  ankagit count-objects --json`)
    .action(async (flags: OutputFlags) => {
      const { countObjects } = await import('../commands/count-objects.js')
      const repo = await openCliRepository(io)
      const r = await countObjects({ repo })
      if (flags.json) return io.out(JSON.stringify(r))
      if (flags.quiet) return
      const kinds = Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(', ')
      io.out(`objects: ${r.objects} (${kinds})`)
      io.out(`chunk data: ${formatBytes(r.chunkBytes)}`)
      io.out(`packs: ${r.packs}`)
      io.out(`pack bytes: ${formatBytes(r.packBytes)}`)
      io.out(`index bytes: ${formatBytes(r.indexBytes)}`)
      io.out(`unindexed packs: ${r.unindexedPacks} (${formatBytes(r.unindexedBytes)})`)
      io.out(`temp files: ${r.tmpFiles} (${formatBytes(r.tmpBytes)})`)
    })
}
