import { Command } from 'commander'

import * as path from 'node:path'
import { GRACE_SECONDS_DEFAULT } from '../maintenance/gc-defaults.js'

import { REFLOG_EXPIRE_DAYS_DEFAULT } from '../maintenance/expire-reflogs.js'

import { InvalidArgumentError } from '../errors.js'

import { type CliIo, type OutputFlags, formatBytes, makeProgress, withOutputOptions } from './io.js'

import { openCliRepository } from './repo.js'


export function makeGcCommand(io: CliIo): Command {
  return withOutputOptions(new Command('gc'))
    .description('remove objects no ref, HEAD or reflog reaches, while other commands keep running')
    .option('-n, --dry-run', 'report exactly what would be removed and freed, and change nothing')
    .option('--grace <seconds>', 'never touch packs and temp files younger than this', String(GRACE_SECONDS_DEFAULT))
    .option('--expire-reflog <days>', "first drop reflog entries older than this many days ('now' or 0: all)", String(REFLOG_EXPIRE_DAYS_DEFAULT))
    .option('--root <dir>', "collect a daemon root (ankagit daemon --root) instead of this repository's store")
    .option('--store <location>', 'collect a daemon registry on S3 (ankagit daemon --store s3://BUCKET[/PREFIX]?endpoint=URL&region=R)')
    .addHelpText('after', `
Reflog entries older than --expire-reflog days (default ${REFLOG_EXPIRE_DAYS_DEFAULT}) are dropped first, as git's
'reflog expire' does; after that, live objects are those reachable from the refs, HEAD and the remaining
reflog entries of this repository and, when the
object store is shared (init --shared-store), of every repository registered in <store>/users.
Packs with no live object are deleted; a pack whose dead frames exceed 30% of its bytes is rewritten
(its live frames copied as stored, never recompressed) and then deleted. Packs without an index and
temp files left by interrupted writes are removed. Nothing younger than the grace period (default
1 hour) is touched, so commits and pushes running at the same time lose nothing: gc takes no lock.
gc refuses to run when a registered user of a shared store no longer exists, or when an object a
ref reaches is missing (run 'ankagit fsck').

With --root or --store, gc collects a daemon's registry instead: the roots are the refs, HEAD and
reflogs of every repository in it, and the daemons (any number of replicas) keep serving and
accepting pushes meanwhile. A push still uploading holds only packs younger than the grace period,
and the daemon's connectivity check refuses a ref update that names an object gc already removed
(the push, retried, sends it again). Run it from one machine at a time, at a quiet hour (cron, a
systemd timer); docs/deployment.md says which races with pushes it does not cover yet.

Output: one line per pack removed or rewritten, then a total of bytes freed (with the exact byte
count). --json: {"dryRun","graceSeconds","liveObjects","packsDeleted":[{"name","bytes","objects",
"liveObjects"}],"packsRewritten":[...],"packsWritten":[{"name","bytes","objects"}],
"unindexedPacksRemoved","debrisRemoved","youngPacks","packsKeptAtRecheck","orphanIndexes",
"objectsRemoved","bytesFreed","users"} ("repositories" instead of "users" with --root/--store).
Exit status: 10 when an object or a registered repository is missing, 6 on corrupt data.

Examples:
  ankagit gc --dry-run
  ankagit gc
  ankagit gc --grace 0        # also what was written in the last hour: only when nothing else runs
  ankagit gc --root /srv/ankagit --dry-run
  ankagit gc --store 's3://vms/registry?endpoint=http://rgw:7480'`)
    .action(async (flags: OutputFlags & { dryRun?: boolean; grace: string; expireReflog: string; root?: string; store?: string }) => {
      const { gc, gcRegistry } = await import('../commands/gc.js')
      const { openRegistry, resolveLocation } = await import('../daemon/open-registry.js')
      const reflogExpireDays = flags.expireReflog === 'now' ? 0 : Number(flags.expireReflog)
      if (!(reflogExpireDays >= 0)) throw new InvalidArgumentError(`invalid --expire-reflog '${flags.expireReflog}': expected days or 'now'`)
      const graceSeconds = Number(flags.grace)
      if (!/^\d+$/.test(flags.grace) || !Number.isSafeInteger(graceSeconds)) throw new InvalidArgumentError(`invalid grace period '${flags.grace}': expected whole seconds`)
      if (flags.root && flags.store) throw new InvalidArgumentError('give --root or --store, not both')
      const location = flags.root ? path.resolve(io.cwd, flags.root) : flags.store && resolveLocation(flags.store, io.cwd)
      const progress = makeProgress(io, flags)
      const options = { dryRun: flags.dryRun, graceSeconds, reflogExpireDays, onProgress: progress.onProgress }
      const r = location
        ? await gcRegistry({ registry: await openRegistry(location, { create: false }), ...options })
        : await gc({ repo: await openCliRepository(io), ...options })
      progress.done()
      if (flags.json) return io.out(JSON.stringify(r))
      if (flags.quiet) return
      if ('repositories' in r) io.out(`roots: the refs and reflogs of ${r.repositories.length} repositor${r.repositories.length === 1 ? 'y' : 'ies'}`)
      const verb = (done: string, would: string) => (r.dryRun ? would : done)
      for (const p of r.packsDeleted) io.out(`${verb('removed', 'would remove')} pack ${p.name} (${formatBytes(p.bytes)}, ${p.objects} objects)`)
      for (const p of r.packsRewritten) io.out(`${verb('rewrote', 'would rewrite')} pack ${p.name} (${formatBytes(p.bytes)}, keeping ${p.liveObjects} of ${p.objects} objects)`)
      for (const p of r.unindexedPacksRemoved) io.out(`${verb('removed', 'would remove')} unindexed pack ${p.name} (${formatBytes(p.bytes)})`)
      for (const d of r.debrisRemoved) io.out(`${verb('removed', 'would remove')} temp file tmp/${d.name} (${formatBytes(d.bytes)})`)
      for (const n of r.packsKeptAtRecheck) io.out(`kept pack ${n}: objects written during gc need it`)
      for (const n of r.orphanIndexes) io.err(`warning: index of pack ${n} has no pack; run 'ankagit fsck'`)
      const young = r.youngPacks ? `; ${r.youngPacks} pack${r.youngPacks === 1 ? '' : 's'} younger than ${r.graceSeconds}s left alone` : ''
      if (r.reflogEntriesExpired) io.out(`${verb('expired', 'would expire')} ${r.reflogEntriesExpired} reflog entries`)
      io.out(`${verb('freed', 'would free')} ${formatBytes(r.bytesFreed)} (${r.bytesFreed} bytes, ${r.objectsRemoved} objects); ${r.liveObjects} live objects${young}`)
    })
}
