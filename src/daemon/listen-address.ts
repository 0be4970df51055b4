/**
 * The daemon's listen address: "host:port" (IPv6 as "[::1]:port"), loopback by default, so a daemon
 * without an auth file is reachable only from its own machine. Kept apart from serve.ts so the CLI can
 * show the default without loading the daemon.
 */
import { InvalidArgumentError } from '../errors.js'

export const LISTEN_DEFAULT = '127.0.0.1:8089'

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\[\]]+)):(\d{1,5})$/.exec(listen)
  const port = Number(m?.[3])
  if (!m || port > 65535) throw new InvalidArgumentError(`invalid listen address '${listen}': expected host:port`)
  return { host: m[1] ?? m[2]!, port }
}
