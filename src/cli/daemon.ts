import { Command } from 'commander'

import * as path from 'node:path'
import { LISTEN_DEFAULT } from '../daemon/listen-address.js'

import { InvalidArgumentError } from '../errors.js'

import type { CliIo } from './io.js'

export function makeDaemonCommand(io: CliIo): Command {
  return new Command('daemon')
    .description('serve a registry of VM repositories over HTTP(S), all sharing one object store')
    .option('--root <dir>', 'registry directory: <root>/objects (shared store) and <root>/repos/<name> (refs)')
    .option('--store <location>', 'registry on S3, shared by any number of daemons: s3://BUCKET[/PREFIX]?endpoint=URL&region=R')
    .option('--listen <host:port>', 'address to listen on (port 0 picks a free one)', LISTEN_DEFAULT)
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--auth <file>', 'bearer tokens: lines "TOKEN read|write REPO-PATTERN" (see docs/deployment.md)')
    .addHelpText('after', `
Give --root (one machine) or --store (S3: objects and refs in the bucket, credentials from
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Daemons on one --store keep nothing another one needs,
so several can serve it behind a load balancer (docs/deployment.md); each one needs the same --auth file.
Prints exactly one line on stdout when ready: "listening on http(s)://HOST:PORT". Repositories are
created by their first push; clients use http(s)://HOST:PORT/NAME. Without --auth anyone who can
reach the address may read and write: the default address is 127.0.0.1 for that reason. SIGTERM or
SIGINT stop it cleanly (running requests finish, received objects are saved).

Exit status: 0 after SIGTERM or SIGINT once open requests have ended; 2 for a bad flag or an
address that cannot be bound; 10 when a TLS or auth file is missing.

Examples:
  ankagit daemon --root /srv/ankagit
  ankagit daemon --root /srv/ankagit --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem --auth tokens
  ankagit daemon --store 's3://vms/registry?endpoint=http://rgw:7480' --listen 127.0.0.1:9000 --auth tokens`)
    .action(async (flags: { root?: string; store?: string; listen: string; tlsCert?: string; tlsKey?: string; auth?: string }) => {
      const { serve } = await import('../daemon/serve.js')
      const { resolveLocation } = await import('../daemon/open-registry.js')
      if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey)) throw new InvalidArgumentError('--tls-cert and --tls-key go together')
      if (Boolean(flags.root) === Boolean(flags.store)) throw new InvalidArgumentError('give --root DIR or --store LOCATION (one of them)')
      const daemon = await serve({
        root: flags.root && path.resolve(io.cwd, flags.root),
        store: flags.store && resolveLocation(flags.store, io.cwd),
        listen: flags.listen,
        tls: flags.tlsCert && flags.tlsKey ? { cert: path.resolve(io.cwd, flags.tlsCert), key: path.resolve(io.cwd, flags.tlsKey) } : undefined,
        auth: flags.auth && path.resolve(io.cwd, flags.auth),
        onInternalError: (err) => io.err(`ankagit daemon: ${err instanceof Error ? err.message : String(err)}`.replace(/\s*\n\s*/g, '; ')),
      })
      io.out(`listening on ${daemon.url}`)
      await new Promise<void>((resolve) => {
        const stop = () => resolve()
        process.once('SIGTERM', stop)
        process.once('SIGINT', stop)
      })
      await daemon.close()
    })
}
