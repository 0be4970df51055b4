import { Command } from 'commander'

import { type CliIo, type OutputFlags, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'

import { type RemoteFlags, remoteArgs, withRemoteOptions } from './remote-options.js'

import { formatPush } from './transfer-format.js'


export function makePushCommand(io: CliIo): Command {
  return withRemoteOptions(withOutputOptions(new Command('push')))
    .description('send the chunks a registry lacks, then move its refs by compare-and-swap')
    .argument('[remote]', 'remote name or URL', 'origin')
    .argument('[refspec...]', "what to push: BRANCH, TAG, SRC:DST or +SRC:DST (default: the current branch)")
    .option('--tags', 'push every tag too')
    .option('-f, --force', 'allow updates that are not fast-forwards')
    .option('-d, --delete <ref...>', 'delete these refs on the registry')
    .option('--dry-run', 'report exactly what would be sent, in bytes, and send nothing')
    .addHelpText('after', `
The registry is asked in batches which objects it lacks; only those are sent, so pushing a new
version, or a different VM that shares data with one already there, sends only the difference.
A non-fast-forward update is refused unless --force (exit 5); a lost race is exit 5 too.
--json: {"refs":[{"name","old","new","status"}],"sent":{"chunkObjects","rawBytes","bytes",...},"stats":{...}}.

Exit status: 5 when any ref was rejected (non-fast-forward, or changed by someone else
meanwhile), 7 when the registry cannot be reached, 8 when the token is refused.

Examples:
  ankagit push origin main --tags
  ankagit push origin v15.1 --dry-run
  ankagit push origin --delete v14.0`)
    .action(async (remote: string, refspecs: string[], flags: OutputFlags & RemoteFlags & { tags?: boolean; force?: boolean; delete?: string[]; dryRun?: boolean }) => {
      const { push } = await import('../commands/push.js')
      const repo = await openCliRepository(io)
      const progress = makeProgress(io, flags)
      const r = await push({ repo, remote, refspecs, tags: flags.tags, force: flags.force, delete: flags.delete, dryRun: flags.dryRun, ...remoteArgs(io, flags), onProgress: progress.onProgress })
      progress.done()
      const rejected = r.refs.filter((x) => x.status === 'rejected')
      if (flags.json) io.out(JSON.stringify(r))
      else if (!flags.quiet) for (const line of formatPush(r, r.url)) io.out(line)
      if (rejected.length) {
        io.err(`ankagit: failed to push some refs to '${r.url}': ${rejected.map((x) => `${x.name} (${x.reason})`).join(', ')}`)
        process.exitCode = 5
      }
    })
}
