/**
 * Every CLI command, in the order `ankagit --help` lists them. Adding a verb means adding its
 * make<Verb>Command here and nothing else.
 */
import type { Command } from 'commander'
import type { CliIo } from './io.js'

export const commandFactories: Array<(io: CliIo) => Command> = []
