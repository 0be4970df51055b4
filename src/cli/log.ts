import { Command } from 'commander'


import type { ProgressEvent } from '../options.js'
import type { ObjectId } from '../objects/id.js'
import { type CliIo, type OutputFlags, parseMaxCount, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'

import type { Repository } from '../repository.js'
import { commitJson, formatCommit, subject } from './commit-format.js'

import { formatStat, terminalWidth } from './diff-format.js'


export function makeLogCommand(io: CliIo): Command {
  return withOutputOptions(new Command('log'))
    .description('show the commit history, newest first')
    .argument('[revision]', 'where to start', 'HEAD')
    .option('--oneline', 'one line per commit: short id and subject')
    .option('-n, --max-count <n>', 'show at most n commits')
    .option('--stat', 'after each commit, the files it changed against its first parent, with a bar of bytes changed')
    .addHelpText('after', `
Commits reachable from the revision, newest first by committer time, each once.
Output: per commit "commit <id>", Author, Date, "Suspended: <memory file>" for a suspended VM, and
the message indented by four spaces; --oneline: "<12-digit id> <subject>".
--stat adds, per commit, diff --stat against the first parent: " <path> | <bytes changed> +++" per
changed file and a total line with the bytes a pull of it onto its parent would fetch (a first
commit: all its data). What each version adds to the store, compressed: ankagit du.
--json: [{"id","tree","parents","author","committer","suspended","message"}]; with --stat each
also has "stat": {"files":[{"path","status","changedBytes","transferBytes",...}],"changedBytes","transferBytes"}.
Exit status: 10 when the revision does not exist or the branch has no commit yet.

Examples:
  ankagit log
  ankagit log --oneline -n 5 v14.2
  ankagit log --stat
  ankagit log --json`)
    .action(async (revision: string, flags: OutputFlags & { oneline?: boolean; maxCount?: string; stat?: boolean }) => {
      const { log } = await import('../commands/log.js')
      const maxCount = parseMaxCount(flags.maxCount)
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const entries = []
      let first = true
      for await (const e of log({ repo, rev: revision, maxCount })) {
        const stat = flags.stat && !flags.quiet ? await commitStat(repo, e.id, progress.onProgress) : undefined
        if (flags.json) entries.push(stat ? { ...commitJson(e.id, e.commit), stat } : commitJson(e.id, e.commit))
        else if (flags.quiet) continue
        else {
          const head = flags.oneline ? `${e.id.slice(0, 12)} ${subject(e.commit.message)}` : (first ? '' : '\n') + formatCommit(e.id, e.commit)
          // git log --stat: a blank line between the message and the stat; --oneline puts the stat right below.
          const lines = stat ? formatStat(stat, terminalWidth(io)) : []
          progress.done()
          io.out(lines.length ? `${head}\n${flags.oneline ? '' : '\n'}${lines.join('\n')}` : head)
          first = false
        }
      }
      progress.done()
      if (flags.json) io.out(JSON.stringify(entries))
    })
}

/** The commit's changes against its first parent, as show computes them (a root commit: every file added). */
async function commitStat(repo: Repository, id: ObjectId, onProgress?: (e: ProgressEvent) => void) {
  const { show } = await import('../commands/show.js')
  const r = await show({ repo, rev: id, onProgress })
  return { files: r.files, changedBytes: r.changedBytes, transferBytes: r.transferBytes }
}
