/**
 * ankagit as a library, from TypeScript: make a VM directory, init, commit, change the disk, commit
 * again, read the log, serve a registry in-process, push to it and clone from it, with progress
 * callbacks printing what is happening. An application imports from 'ankagit'; this example imports
 * the same entry point from the source tree so the project's build checks it.
 *
 *   npx tsc -p . && node dist/examples/library.js [WORK_DIR] [--disk-mib N]
 *
 * Every call takes one options object, accepts `signal` and `onProgress`, returns data and throws
 * AnkagitError subclasses with a stable `code`; none of them prints.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { AnkagitError, type ProgressEvent, clone, commit, du, init, log, push, remoteAdd, serve } from '../src/index.js'

const MiB = 1 << 20

/** Prints a phase when it starts and each time it passes another quarter of its total. */
function progressPrinter(label: string): (e: ProgressEvent) => void {
  let phase = ''
  let quarter = -1
  return (e) => {
    if (e.phase !== phase) {
      phase = e.phase
      quarter = -1
    }
    const q = e.total ? Math.floor((4 * e.done) / e.total) : 0
    if (q <= quarter) return
    quarter = q
    const amount = e.unit === 'bytes' || e.unit === undefined ? `${(e.done / MiB).toFixed(1)}${e.total ? ` / ${(e.total / MiB).toFixed(1)}` : ''} MiB` : `${e.done}${e.total ? ` / ${e.total}` : ''} ${e.unit}`
    console.log(`  [${label}] ${e.phase}: ${amount}`)
  }
}

/** A VM bundle as a hypervisor leaves it: a sparse disk with a few written extents, a config, an NVRAM file. */
function makeVm(dir: string, diskMiB: number): void {
  fs.mkdirSync(dir, { recursive: true })
  const fd = fs.openSync(path.join(dir, 'disk.img'), 'w')
  fs.ftruncateSync(fd, diskMiB * MiB)
  for (let at = 0; at < diskMiB; at += 16) fs.writeSync(fd, pseudoRandom(at, 2 * MiB), 0, 2 * MiB, at * MiB)
  fs.closeSync(fd)
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ name: 'macos-runner', cpus: 4, memoryMiB: 8192 }, null, 2) + '\n')
  fs.writeFileSync(path.join(dir, 'nvram.bin'), pseudoRandom(99, 64 * 1024))
}

/** Deterministic bytes that do not compress away. */
function pseudoRandom(seed: number, n: number): Buffer {
  const out = Buffer.alloc(n)
  let x = (seed + 1) * 2654435761
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out.writeInt32LE(x | 0, i)
  }
  return out
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const sizeAt = args.indexOf('--disk-mib')
  const diskMiB = sizeAt >= 0 ? Number(args.splice(sizeAt, 2)[1]) : 256
  const work = args[0] ? path.resolve(args[0]) : fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-library-'))
  const template = path.join(work, 'macos-runner')

  console.log(`making a VM in ${template}: ${diskMiB} MiB sparse disk`)
  makeVm(template, diskMiB)

  // init returns the opened repository; every later call takes it as `repo`.
  const { repo } = await init({ dir: template })
  await repo.config.set('user.name', 'CI templates')
  await repo.config.set('user.email', 'ci@example.com')

  const first = await commit({ repo, message: 'macOS 15.1 base', onProgress: progressPrinter('commit') })
  console.log(`commit ${first.id.slice(0, 12)}: ${first.newChunks} new chunks, ${(first.newBytes / MiB).toFixed(1)} MiB of data, ${(first.storedBytes / MiB).toFixed(1)} MiB stored`)

  // An update writes in place, as an OS update inside the VM does: only those chunks are new.
  const fd = fs.openSync(path.join(template, 'disk.img'), 'r+')
  fs.writeSync(fd, pseudoRandom(7, 3 * MiB), 0, 3 * MiB, 5 * MiB)
  fs.closeSync(fd)
  const second = await commit({ repo, message: 'Xcode 17.1', onProgress: progressPrinter('commit') })
  console.log(`commit ${second.id.slice(0, 12)}: ${second.newChunks} new chunks, ${(second.newBytes / MiB).toFixed(1)} MiB of data, ${(second.storedBytes / MiB).toFixed(1)} MiB stored`)

  console.log('log:')
  for await (const entry of log({ repo })) console.log(`  ${entry.id.slice(0, 12)} ${entry.commit.message.trim()}`)
  console.log('what each version adds to the store (du):')
  for await (const e of du({ repo })) console.log(`  ${e.id.slice(0, 12)} ${(e.rawBytes / MiB).toFixed(1)} MiB new data, ${e.chunks} chunks`)

  // The registry in this process; `ankagit daemon --root DIR` is the same call behind the CLI.
  const daemon = await serve({ root: path.join(work, 'registry'), listen: '127.0.0.1:0' })
  try {
    await remoteAdd({ repo, name: 'origin', url: `${daemon.url}/macos-runner` })
    const pushed = await push({ repo, remote: 'origin', refspecs: ['main'], onProgress: progressPrinter('push') })
    for (const r of pushed.refs) console.log(`push ${r.name}: ${r.status}`)
    console.log(`push sent ${pushed.sent.chunkObjects} chunks, ${(pushed.sent.bytes / MiB).toFixed(1)} MiB in ${pushed.stats.requests} requests`)

    const host = path.join(work, 'build-host', 'macos-runner')
    const cloned = await clone({ url: `${daemon.url}/macos-runner`, dir: host, onProgress: progressPrinter('clone') })
    console.log(`clone received ${(cloned.fetch.stats.bytesReceived / MiB).toFixed(1)} MiB, checked out '${cloned.branch}' (${cloned.checkout?.filesWritten} files)`)

    const same = fs.readFileSync(path.join(host, 'disk.img')).equals(fs.readFileSync(path.join(template, 'disk.img')))
    console.log(same ? 'the clone is byte-identical to the template' : 'the clone DIFFERS from the template')
    if (!same) process.exitCode = 1
  } finally {
    await daemon.close()
  }
  if (!args[0]) fs.rmSync(work, { recursive: true, force: true })
}

main().catch((err: unknown) => {
  // Typed errors carry a stable code to branch on; the message is one line.
  if (err instanceof AnkagitError) console.error(`library example: ${err.code}: ${err.message}`)
  else console.error(err)
  process.exitCode = 1
})
