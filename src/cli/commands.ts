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

export const commandFactories: Array<(io: CliIo) => Command> = [
  makeInitCommand,
  makeStatusCommand,
  makeCommitCommand,
  makeCheckoutCommand,
]
