import { Command } from 'commander'

import * as path from 'node:path'
import { InvalidArgumentError } from '../errors.js'

import { CorruptObjectError } from '../errors.js'

import { type CliIo, type OutputFlags, formatBytes, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeFsckCommand(io: CliIo): Command {
  return withOutputOptions(new Command('fsck'))
    .description('verify every pack and that everything the refs reach is present and intact')
    .option('--root <dir>', "check a daemon root (ankagit daemon --root) instead of this repository")
    .option('--store <location>', 'check a daemon registry on S3 (s3://BUCKET[/PREFIX]?endpoint=URL&region=R)')
    .addHelpText('after', `
Reads every pack once (its name must be the BLAKE3 of its bytes; every frame must decompress and
every object hash to its id; the index checksum must hold), then walks from every ref, HEAD and
reflog entry through commits, trees and file trees to every chunk.
Output: one line per problem, naming the pack or object and the ref it is reachable from; "notice:"
lines for the debris of interrupted writes (not errors: gc removes them); then a summary.
--json: {"ok","problems":[{"kind","message","pack","id","from"}],"notices","packs","packBytes",
"objects","roots","metadataObjects","chunkRefs"}.
With --root or --store the roots are the refs and reflogs of every repository of the registry.
Exit status: 0 when everything is intact, 6 (corrupt) when any problem was found.

Examples:
  ankagit fsck
  ankagit fsck --json
  ankagit fsck --root /srv/ankagit`)
    .action(async (flags: OutputFlags & { root?: string; store?: string }) => {
      const { fsck, fsckRegistry } = await import('../commands/fsck.js')
      const { openRegistry, resolveLocation } = await import('../daemon/open-registry.js')
      if (flags.root && flags.store) throw new InvalidArgumentError('give --root or --store, not both')
      const location = flags.root ? path.resolve(io.cwd, flags.root) : flags.store && resolveLocation(flags.store, io.cwd)
      const progress = makeProgress(io, flags)
      const r = location
        ? await fsckRegistry({ registry: await openRegistry(location, { create: false }), onProgress: progress.onProgress })
        : await fsck({ repo: await openCliRepository(io), onProgress: progress.onProgress })
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
