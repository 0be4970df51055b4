/**
 * Turns what a user types (a remote name or a URL) into a Remote, with the token and CA the
 * command was given or the environment holds (ANKAGIT_TOKEN, ANKAGIT_CA_FILE).
 */
import * as fs from 'node:fs'
import { InvalidArgumentError, NotFoundError } from '../errors.js'
import type { Repository } from '../repository.js'
import { HttpRemote } from '../transport/http-remote.js'

export interface ConnectOptions {
  repo?: Repository
  /** A remote name (looked up in the repository's config) or an http(s) URL. */
  remote: string
  token?: string
  /** Path of a PEM file with the CA that signed the daemon's certificate. */
  caFile?: string
  env?: NodeJS.ProcessEnv
}

export interface Connection {
  remote: HttpRemote
  /** The remote's name when one was given, for remote-tracking refs. */
  name?: string
  url: string
}

export function isUrl(s: string): boolean {
  return /^https?:\/\//.test(s)
}

export async function connect(o: ConnectOptions): Promise<Connection> {
  const env = o.env ?? process.env
  let url = o.remote
  let name: string | undefined
  if (!isUrl(o.remote)) {
    if (!o.repo) throw new InvalidArgumentError(`'${o.remote}' is not a URL (http:// or https://)`)
    url = await o.repo.config.remoteUrl(o.remote)
    name = o.remote
  }
  const caFile = o.caFile ?? env.ANKAGIT_CA_FILE
  let ca: Buffer | undefined
  if (caFile) {
    try {
      ca = fs.readFileSync(caFile)
    } catch {
      throw new NotFoundError(`CA file '${caFile}' cannot be read`)
    }
  }
  const token = o.token ?? env.ANKAGIT_TOKEN
  const remote = new HttpRemote(url, { token: token || undefined, ca })
  return name ? { remote, name, url } : { remote, url }
}
