import { Command } from 'commander'

import type { DuEntry } from '../commands/du.js'

import { type CliIo, type OutputFlags, parseMaxCount, formatBytes, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'

import { subject } from './commit-format.js'


export function makeDuCommand(io: CliIo): Command {
  return withOutputOptions(new Command('du'))
    .description('show what each version adds to the object store: new chunks, raw and compressed')
    .argument('[revision...]', 'the commits to measure (default: every commit reachable from HEAD, newest first)')
    .option('-n, --max-count <n>', 'with no revision: measure at most n commits')
    .addHelpText('after', `
A version adds the objects its tree reaches and none of its parents' trees do: chunks it wrote (a
chunk its parent holds anywhere, in any file, is not new) and metadata (the commit, vm trees,
file-tree nodes). This is what a push of the version onto a registry holding its parent sends,
near enough.
Output: one line per commit: short id, new data (raw bytes of the new chunks), stored (compressed
estimate of the new chunks and metadata), new chunk count and subject; then a total line.
Compressed sizes are estimates: chunks share 2 MiB zstd frames, and each is charged its share.
--json: [{"id","parents","subject","chunks","rawBytes","storedBytes","metadataObjects","metadataBytes"}].
Exit status: 10 when a revision does not exist.

Examples:
  ankagit du                    # every version of the current branch
  ankagit du v15.1 v15.2        # what each of two tags added over its parent
  ankagit du -n 3 --json`)
    .action(async (revs: string[], flags: OutputFlags & { maxCount?: string }) => {
      const { du } = await import('../commands/du.js')
      const maxCount = parseMaxCount(flags.maxCount)
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const rows: DuEntry[] = []
      for await (const e of du({ repo, revs, maxCount, onProgress: progress.onProgress })) rows.push(e)
      progress.done()
      if (flags.json) return io.out(JSON.stringify(rows.map(duJson)))
      if (!flags.quiet) io.out(formatDu(rows).join('\n'))
    })
}

function duJson(e: DuEntry): Record<string, unknown> {
  const { id, commit, ...sizes } = e
  return { id, parents: commit.parents, subject: subject(commit.message), ...sizes }
}

/** A header, one aligned row per commit and a total: sizes right-aligned so their magnitudes line up. */
export function formatDu(rows: DuEntry[]): string[] {
  const table = rows.map((e) => [e.id.slice(0, 12), formatBytes(e.rawBytes), formatBytes(e.storedBytes + e.metadataBytes), String(e.chunks), subject(e.commit.message)])
  const sum = (f: (e: DuEntry) => number) => rows.reduce((a, e) => a + f(e), 0)
  const n = rows.length
  table.push([`${n} commit${n === 1 ? '' : 's'}`, formatBytes(sum((e) => e.rawBytes)), formatBytes(sum((e) => e.storedBytes + e.metadataBytes)), String(sum((e) => e.chunks)), ''])
  const header = ['commit', 'new data', 'stored', 'chunks', 'subject']
  const widths = [0, 1, 2, 3].map((c) => Math.max(header[c]!.length, ...table.map((r) => r[c]!.length)))
  const line = (r: string[]) => [r[0]!.padEnd(widths[0]!), ...[1, 2, 3].map((c) => r[c]!.padStart(widths[c]!)), r[4]!].join('  ').trimEnd()
  return [line(header), ...table.map(line)]
}
