import { Command } from 'commander'

import { InvalidArgumentError } from '../errors.js'

import { type CliIo, type OutputFlags, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


interface CatFileFlags extends OutputFlags {
  t?: boolean
  s?: boolean
  p?: boolean
}

export function makeCatFileCommand(io: CliIo): Command {
  return withOutputOptions(new Command('cat-file'), false)
    .description("show an object's kind, size or content")
    .usage('(-t | -s | -p) <object>')
    .argument('<object>', 'an id, id prefix or revision, or <revision>:<path> for a vm tree or file tree in a commit')
    .option('-t', 'print the kind: chunk, file, vm, commit or tag')
    .option('-s', 'print the size of the uncompressed body in bytes')
    .option('-p', 'pretty-print the content')
    .addHelpText('after', `
-p prints commits and tags as stored; a vm tree as "<mode> <kind> <id> <size>\\t<name>" lines (mode
in octal, kind 'file' or 'vm', size '-' for a directory); a file tree node as its header lines
(level, chunking, span, entries), a blank line, then one line per entry: "hole <length>",
"chunk <id> <length>" or "node <id> <span>"; a chunk as its raw bytes. Every object is verified
against its id when read.
Exit status: 10 when the object does not exist, 6 when it is corrupt, 2 for a bad argument.

Examples:
  ankagit cat-file -t HEAD
  ankagit cat-file -p HEAD
  ankagit cat-file -p HEAD:disk.img       # the root node of disk.img's file tree
  ankagit cat-file -p 3fa9c0de > chunk.bin`)
    .action(async (object: string, flags: CatFileFlags) => {
      const { catFile, prettyObject } = await import('../commands/cat-file.js')
      const modes = [flags.t, flags.s, flags.p].filter(Boolean).length
      if (modes !== 1) throw new InvalidArgumentError('cat-file needs exactly one of -t, -s and -p')
      const repo = await openCliRepository(io)
      const obj = await catFile({ repo, object })
      if (flags.t) return io.out(obj.kind)
      if (flags.s) return io.out(String(obj.size))
      const pretty = prettyObject(obj)
      if (typeof pretty === 'string') return io.out(pretty)
      // Raw chunk bytes: CliIo carries text only, so binary goes straight to stdout, unchanged.
      io.outBytes(pretty)
    })
}
