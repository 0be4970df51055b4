import { Command } from 'commander'
import { fsck } from '../commands/fsck.js'
import { CorruptObjectError } from '../errors.js'
import { type CliIo, type OutputFlags, formatBytes, makeProgress, withOutputOptions } from './io.js'
import { openCliRepository } from './repo.js'

export function makeFsckCommand(io: CliIo): Command {
  return withOutputOptions(new Command('fsck'))
    .description('verify every pack and that everything the refs reach is present and intact')
    .addHelpText('after', `
Reads every pack once (its name must be the BLAKE3 of its bytes; every frame must decompress and
every object hash to its id; the index checksum must hold), then walks from every ref, HEAD and
reflog entry through commits, trees and file trees to every chunk.
Output: one line per problem, naming the pack or object and the ref it is reachable from; "notice:"
lines for the debris of interrupted writes (not errors: gc removes them); then a summary.
--json: {"ok","problems":[{"kind","message","pack","id","from"}],"notices","packs","packBytes",
"objects","roots","metadataObjects","chunkRefs"}.
Exit status: 0 when everything is intact, 6 (corrupt) when any problem was found.

Examples:
  ankagit fsck
  ankagit fsck --json`)
    .action(async (flags: OutputFlags) => {
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const r = await fsck({ repo, onProgress: progress.onProgress })
      progress.done()
      if (flags.json) io.out(JSON.stringify(r))
      else {
        for (const p of r.problems) io.out(p.message)
        if (!flags.quiet) {
          for (const n of r.notices) io.out(`notice: ${n}`)
          io.out(`checked ${r.packs} packs (${formatBytes(r.packBytes)}, ${r.objects} objects), ${r.metadataObjects} trees and commits and ${r.chunkRefs} chunk references from ${r.roots} roots (refs, HEAD and reflog entries)`)
        }
      }
      if (!r.ok) throw new CorruptObjectError(`fsck found ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`, { problems: r.problems.length })
    })
}
