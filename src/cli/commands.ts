/**
 * Every CLI command, in the order `ankagit --help` lists them, each loaded only when needed: a run
 * names one verb, and loading just that one's code instead of all 26 took a commit with nothing to do
 * from 167 to 141 ms (node alone starts in ~65 ms on the same machine). Adding a verb means adding
 * its line here and nothing else.
 */
import type { Command } from 'commander'
import type { CliIo } from './io.js'

export type CommandFactory = (io: CliIo) => Command

export const commandLoaders: ReadonlyArray<readonly [verb: string, load: () => Promise<CommandFactory>]> = [
  ['init', async () => (await import('./init.js')).makeInitCommand],
  ['status', async () => (await import('./status.js')).makeStatusCommand],
  ['commit', async () => (await import('./commit.js')).makeCommitCommand],
  ['checkout', async () => (await import('./checkout.js')).makeCheckoutCommand],
  ['log', async () => (await import('./log.js')).makeLogCommand],
  ['du', async () => (await import('./du.js')).makeDuCommand],
  ['show', async () => (await import('./show.js')).makeShowCommand],
  ['diff', async () => (await import('./diff.js')).makeDiffCommand],
  ['branch', async () => (await import('./branch.js')).makeBranchCommand],
  ['remote', async () => (await import('./remote.js')).makeRemoteCommand],
  ['clone', async () => (await import('./clone.js')).makeCloneCommand],
  ['fetch', async () => (await import('./fetch.js')).makeFetchCommand],
  ['pull', async () => (await import('./pull.js')).makePullCommand],
  ['push', async () => (await import('./push.js')).makePushCommand],
  ['ls-remote', async () => (await import('./ls-remote.js')).makeLsRemoteCommand],
  ['daemon', async () => (await import('./daemon.js')).makeDaemonCommand],
  ['tag', async () => (await import('./tag.js')).makeTagCommand],
  ['rev-parse', async () => (await import('./rev-parse.js')).makeRevParseCommand],
  ['update-ref', async () => (await import('./update-ref.js')).makeUpdateRefCommand],
  ['show-ref', async () => (await import('./show-ref.js')).makeShowRefCommand],
  ['cat-file', async () => (await import('./cat-file.js')).makeCatFileCommand],
  ['ls-tree', async () => (await import('./ls-tree.js')).makeLsTreeCommand],
  ['count-objects', async () => (await import('./count-objects.js')).makeCountObjectsCommand],
  ['fsck', async () => (await import('./fsck.js')).makeFsckCommand],
  ['gc', async () => (await import('./gc.js')).makeGcCommand],
  ['completion', async () => (await import('./completion.js')).makeCompletionCommand],
]

/**
 * The factories a run needs: the verb's own when the first argument names one, none for --version,
 * every one otherwise (help, a mistyped verb's suggestions, and `completion`, which describes the
 * whole command tree).
 */
export async function loadCommandFactories(argv: readonly string[]): Promise<CommandFactory[]> {
  const verb = argv.find((a) => !a.startsWith('-'))
  if (verb === undefined && argv.some((a) => a === '-V' || a === '--version')) return []
  const one = commandLoaders.find(([v]) => v === verb && v !== 'completion')
  return Promise.all((one ? [one] : commandLoaders).map(([, load]) => load()))
}
