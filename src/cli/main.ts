#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node
// No V8 flags here: any (--max-semi-space-size=2 was here for peak RSS) made Node compile its own
// modules afresh instead of from its code cache, 15-18 ms more on every command.
// MALLOC_MMAP_THRESHOLD_ (glibc): native allocations of 128 KiB and more (zstd and frame buffers) get
// their own mappings, returned to the system when freed instead of kept in malloc's heap: clone of
// 690 MiB peak RSS 166-175 -> 153-155 MiB, same wall time. Other C libraries ignore it.
/**
 * The ankagit command line: registers one commander command per verb (src/cli/<verb>.ts) and is the
 * only place that maps errors to output and exit statuses (exit-codes.ts). Errors print as one line
 * `ankagit: <message>` on stderr; a stack trace only with ANKAGIT_DEBUG=1.
 */
import { Command, CommanderError } from 'commander'
import * as fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { AnkagitError } from '../errors.js'
import { packageInfo } from '../package-root.js'
import { type CliIo, processIo } from './io.js'
import { EXIT_BY_CODE, EXIT_ERROR, EXIT_USAGE } from './exit-codes.js'
import { loadCommandFactories } from './commands.js'

/** The program for argv: every command, or only the one argv names (commands.ts). */
export async function buildProgram(io: CliIo, argv: readonly string[] = []): Promise<Command> {
  const version = packageInfo()?.version ?? 'unknown'
  const program = new Command('ankagit')
    .description('version control and distribution for virtual machines')
    .version(version, '-V, --version', 'print the version')
    .showSuggestionAfterError()
    .configureOutput(output(io))
    .exitOverride()
  for (const make of await loadCommandFactories(argv)) program.addCommand(make(io))
  // Nested commands (remote add, ...) need the same error handling as top-level ones.
  const configure = (cmd: Command): void => {
    cmd.exitOverride().configureOutput(output(io))
    cmd.commands.forEach(configure)
  }
  program.commands.forEach(configure)
  return program
}

/** commander's help goes to stdout; its usage errors become one `ankagit: ...` line like every other error. */
function output(io: CliIo) {
  return {
    writeOut: (s: string) => io.out(s.replace(/\n$/, '')),
    writeErr: (s: string) => io.err(s.replace(/\n$/, '')),
    outputError: (s: string, write: (s: string) => void) => write(`ankagit: ${s.replace(/^error: /, '').trim()}`),
  }
}

/** Runs argv and returns the exit status; never throws. */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const program = await buildProgram(io, argv)
    await program.parseAsync(argv, { from: 'user' })
    return process.exitCode === undefined ? 0 : Number(process.exitCode)
  } catch (err) {
    return reportError(err, io)
  }
}

export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // commander already printed its message (help, version or a usage error).
    return err.exitCode === 0 ? 0 : EXIT_USAGE
  }
  if (io.env.ANKAGIT_DEBUG === '1' && err instanceof Error) io.err(err.stack ?? String(err))
  if (err instanceof AnkagitError) {
    io.err(`ankagit: ${oneLine(err.message)}`)
    return EXIT_BY_CODE[err.code] ?? EXIT_ERROR
  }
  // A full disk can surface from any write (a lock, a ref, the stat cache), not only where the library
  // maps it (fromFsError): it is never an internal error (test/e2e/enospc.test.ts fills the disk at each).
  const errno = err as NodeJS.ErrnoException
  if (errno?.code === 'ENOSPC' || errno?.code === 'EDQUOT') {
    io.err(`ankagit: no space left on device${errno.path ? ` while writing '${errno.path}'` : ` (${errno.syscall ?? 'write'})`}`)
    return EXIT_BY_CODE.ENOSPACE
  }
  const message = err instanceof Error ? err.message : String(err)
  io.err(`ankagit: internal error: ${oneLine(message)}`)
  return EXIT_ERROR
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, '; ')
}

function invokedDirectly(): boolean {
  try {
    return fs.realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url)
  } catch {
    return false
  }
}

if (invokedDirectly()) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
