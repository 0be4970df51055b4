/**
 * The flags every command that talks to a registry shares: a bearer token and a CA file, each also
 * read from the environment (ANKAGIT_TOKEN, ANKAGIT_CA_FILE) when not given.
 */
import type { Command } from 'commander'
import type { CliIo } from './io.js'

export interface RemoteFlags {
  token?: string
  cacert?: string
}

export function withRemoteOptions(cmd: Command): Command {
  return cmd
    .option('--token <token>', 'bearer token for the registry (default: $ANKAGIT_TOKEN)')
    .option('--cacert <file>', 'PEM file of the CA that signed the registry certificate (default: $ANKAGIT_CA_FILE)')
}

export function remoteArgs(io: CliIo, flags: RemoteFlags): { token?: string; caFile?: string; env: NodeJS.ProcessEnv } {
  return { token: flags.token, caFile: flags.cacert, env: io.env }
}
