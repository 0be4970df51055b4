/**
 * Every CLI command, in the order `ankagit --help` lists them. Adding a verb means adding its
 * make<Verb>Command here and nothing else.
 */
import type { Command } from 'commander'
import type { CliIo } from './io.js'
import { makeInitCommand } from './init.js'
import { makeCommitCommand } from './commit.js'
import { makeStatusCommand } from './status.js'
import { makeCheckoutCommand } from './checkout.js'
import { makeLogCommand } from './log.js'
import { makeShowCommand } from './show.js'
import { makeDiffCommand } from './diff.js'
import { makeBranchCommand } from './branch.js'
import { makeTagCommand } from './tag.js'
import { makeRevParseCommand } from './rev-parse.js'
import { makeUpdateRefCommand } from './update-ref.js'
import { makeShowRefCommand } from './show-ref.js'
import { makeCatFileCommand } from './cat-file.js'
import { makeLsTreeCommand } from './ls-tree.js'
import { makeCountObjectsCommand } from './count-objects.js'
import { makeFsckCommand } from './fsck.js'
import { makeGcCommand } from './gc.js'
import { makeRemoteCommand } from './remote.js'
import { makeCloneCommand } from './clone.js'
import { makeFetchCommand } from './fetch.js'
import { makePullCommand } from './pull.js'
import { makePushCommand } from './push.js'
import { makeLsRemoteCommand } from './ls-remote.js'
import { makeDaemonCommand } from './daemon.js'
import { makeDuCommand } from './du.js'
import { makeCompletionCommand } from './completion.js'

export const commandFactories: Array<(io: CliIo) => Command> = [
  makeInitCommand,
  makeStatusCommand,
  makeCommitCommand,
  makeCheckoutCommand,
  makeLogCommand,
  makeDuCommand,
  makeShowCommand,
  makeDiffCommand,
  makeBranchCommand,
  makeRemoteCommand,
  makeCloneCommand,
  makeFetchCommand,
  makePullCommand,
  makePushCommand,
  makeLsRemoteCommand,
  makeDaemonCommand,
  makeTagCommand,
  makeRevParseCommand,
  makeUpdateRefCommand,
  makeShowRefCommand,
  makeCatFileCommand,
  makeLsTreeCommand,
  makeCountObjectsCommand,
  makeFsckCommand,
  makeGcCommand,
  makeCompletionCommand,
]
