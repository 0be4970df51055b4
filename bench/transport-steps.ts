/**
 * The OS-update case over the network, once the build has a transport (ankagit-transport.ts): push
 * of v1 to a local daemon and clone of it; then push of the update and pull of it into the clone,
 * which must then equal the VM byte for byte; then a pull with nothing new, which must take one
 * round trip. Beside the clone, curl moves the same number of bytes from a plain Node HTTP server
 * over loopback (design.md § 7: clone and pull near the speed of moving the compressed bytes).
 * Any failure here is reported as a note; the rest of the case stands.
 */
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { fingerprintBundle, fingerprintDifferences } from './bundle-facts.js'
import { AnkagitTransport, type TransferFigures } from './ankagit-transport.js'
import type { BenchContext } from './context.js'
import { formatRatio, formatSeconds } from './format.js'
import { runMeasured } from './measured-run.js'
import { type LoadedRun, type Step, type Target, stepFromRuns, withLoad } from './step.js'

/** curl downloading `bytes` bytes of `source` (repeated as needed) from an in-process HTTP server. */
async function curlSameBytes(source: string, bytes: number, work: string): Promise<LoadedRun> {
  const file = path.join(work, 'curl-payload')
  const data = fs.readFileSync(source)
  const fd = fs.openSync(file, 'w')
  for (let at = 0; at < bytes; at += data.length) fs.writeSync(fd, data, 0, Math.min(data.length, bytes - at))
  fs.closeSync(fd)
  const server = http.createServer((_, res) => {
    res.writeHead(200, { 'content-length': String(bytes) })
    fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payload`
    return await withLoad(() => runMeasured('curl', ['-s', '-o', '/dev/null', url]))
  } finally {
    server.close()
    fs.rmSync(file, { force: true })
  }
}

function largestPack(root: string): string | undefined {
  const packs: string[] = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name))
      else if (e.name.endsWith('.pack')) packs.push(path.join(d, e.name))
    }
  }
  if (fs.existsSync(root)) walk(root)
  return packs.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]
}

export class TransportSteps {
  readonly steps: Step[] = []
  readonly targets: Target[] = []
  readonly notes: string[] = []
  private readonly client: string
  private readonly root: string

  private constructor(
    private readonly ctx: BenchContext,
    private readonly transport: AnkagitTransport,
  ) {
    this.client = path.join(ctx.work, 'client')
    this.root = path.join(ctx.work, 'daemon')
  }

  static async start(ctx: BenchContext): Promise<TransportSteps | undefined> {
    const root = path.join(ctx.work, 'daemon')
    const transport = await AnkagitTransport.start(ctx.cli, root, 'vm')
    return transport ? new TransportSteps(ctx, transport) : undefined
  }

  private add(id: string, label: string, cwd: string, f: TransferFigures): void {
    this.steps.push(stepFromRuns({ id, label, tool: 'ankagit', cwd, bytesOnWire: f.bytesSent + f.bytesReceived, extra: f.requests === undefined ? {} : { requests: f.requests } }, [f.run]))
  }

  /** After v1 is committed in vm: push it, clone it, and curl the same bytes. */
  async afterFirstCommit(vm: string): Promise<void> {
    await this.guard('push and clone of v1', async () => {
      await this.transport.addRemote(vm)
      this.add('push-v1', 'push of v1 (new VM)', vm, await this.transport.push(vm))
      const clone = await this.transport.clone(this.client, this.ctx.work)
      this.add('clone-v1', 'clone of v1 over loopback', this.ctx.work, clone)
      const pack = largestPack(this.root)
      if (pack) {
        const curl = await curlSameBytes(pack, clone.bytesReceived, this.ctx.work)
        this.steps.push(stepFromRuns({ id: 'curl-v1', label: 'curl of the same number of bytes over loopback', tool: 'curl', cwd: this.ctx.work, bytesOnWire: clone.bytesReceived }, [curl]))
        const r = clone.run.seconds / curl.seconds
        this.targets.push({ id: 'clone-vs-curl', text: 'clone over loopback at least half the speed of curl moving the same bytes', measured: `${formatSeconds(clone.run.seconds)} vs ${formatSeconds(curl.seconds)}: ${formatRatio(r)}`, ratio: r / 2, holds: r <= 2 })
      }
    })
  }

  /** After v2 is committed in vm: push the update, pull it into the clone, then pull with nothing new. */
  async afterSecondCommit(vm: string): Promise<void> {
    await this.guard('push and pull of v2', async () => {
      this.add('push-v2', 'push of the update', vm, await this.transport.push(vm))
      this.add('pull-v2', 'pull of the update into the clone', this.client, await this.transport.pull(this.client))
      const differ = fingerprintDifferences(fingerprintBundle(vm), fingerprintBundle(this.client))
      if (differ.length > 0) this.notes.push(`after the pull the clone differs from the VM: ${differ.join(', ')}`)
      const idle = await this.transport.pull(this.client)
      this.add('pull-up-to-date', 'pull with nothing new', this.client, idle)
      if (idle.requests !== undefined) {
        this.targets.push({ id: 'up-to-date-fetch', text: 'fetch of an up-to-date repository: one HTTP round trip', measured: `${idle.requests} request${idle.requests === 1 ? '' : 's'}`, ratio: idle.requests, holds: idle.requests <= 1 })
      }
    })
  }

  private async guard(what: string, f: () => Promise<void>): Promise<void> {
    try {
      await f()
    } catch (err) {
      this.notes.push(`${what} failed: ${(err as Error).message}`)
    }
  }

  /** Stops the daemon and removes its store and the clone (a full copy of the VM). */
  stop(): void {
    this.transport.stop()
    fs.rmSync(this.client, { recursive: true, force: true })
    fs.rmSync(this.root, { recursive: true, force: true })
  }
}
