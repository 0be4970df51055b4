/**
 * HTTP requests per transfer as history and chunk count grow (design.md § 7: an up-to-date fetch is
 * one round trip; requests per transfer do not grow with chunk count). History: one small VM with
 * 1, 10, 100 (and 1000 with --large) commits, each changing config.json; at each length a fresh
 * clone, a pull with nothing new, and a pull of one new commit. Chunks: a disk of 10^3 and 10^4
 * (10^5 with --large) distinct 64 KiB chunks of seeded random data, pushed and cloned. Counts come
 * from the transfer commands' --json stats. Needs the transport CLI; without it the case says so.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { SeededBytes } from './corpus/seeded-random.js'
import { AnkagitTransport } from './ankagit-transport.js'
import type { BenchContext, CaseResult } from './context.js'
import type { Target } from './step.js'

const CHUNK = 65536

export interface HistoryPoint {
  commits: number
  cloneRequests: number
  upToDateRequests: number
  pullOneRequests: number
}

export interface ChunkPoint {
  chunks: number
  pushRequests: number
  cloneRequests: number
  cloneBytes: number
}

function writeRandomDisk(file: string, chunks: number, seed: number): void {
  const bytes = new SeededBytes(seed, 'transfer-scaling')
  const fd = fs.openSync(file, 'w')
  try {
    for (let done = 0; done < chunks; done += 256) fs.writeSync(fd, bytes.take(Math.min(256, chunks - done) * CHUNK))
  } finally {
    fs.closeSync(fd)
  }
}

async function withDaemon<T>(ctx: BenchContext, name: string, f: (t: AnkagitTransport) => Promise<T>): Promise<T | undefined> {
  const t = await AnkagitTransport.start(ctx.cli, path.join(ctx.work, `daemon-${name}`), name)
  if (!t) return undefined
  try {
    return await f(t)
  } finally {
    t.stop()
  }
}

async function historyPoints(ctx: BenchContext, lengths: readonly number[]): Promise<HistoryPoint[] | undefined> {
  const { cli } = ctx
  const vm = path.join(ctx.work, 'history')
  fs.mkdirSync(vm)
  fs.writeFileSync(path.join(vm, 'disk.img'), new SeededBytes(ctx.opts.seed, 'history-disk').take(16 * CHUNK))
  await cli.run(['init', '-q'], { cwd: vm })
  return withDaemon(ctx, 'history', async (t) => {
    await t.addRemote(vm)
    const points: HistoryPoint[] = []
    let commits = 0
    const commitOne = async () => {
      fs.writeFileSync(path.join(vm, 'config.json'), JSON.stringify({ revision: ++commits }) + '\n')
      await cli.run(['commit', '-q', '-m', `revision ${commits}`], { cwd: vm })
    }
    for (const n of lengths) {
      ctx.log(`transfer scaling: ${n} commits of history`)
      while (commits < n) await commitOne()
      await t.push(vm)
      const client = path.join(ctx.work, `history-clone-${n}`)
      const clone = await t.clone(client, ctx.work)
      const upToDate = await t.pull(client)
      await commitOne()
      await t.push(vm)
      const pullOne = await t.pull(client)
      fs.rmSync(client, { recursive: true, force: true })
      points.push({ commits: n, cloneRequests: clone.requests ?? NaN, upToDateRequests: upToDate.requests ?? NaN, pullOneRequests: pullOne.requests ?? NaN })
    }
    return points
  })
}

async function chunkPoints(ctx: BenchContext, counts: readonly number[]): Promise<ChunkPoint[] | undefined> {
  const points: ChunkPoint[] = []
  for (const chunks of counts) {
    ctx.log(`transfer scaling: ${chunks} chunks`)
    const vm = path.join(ctx.work, `chunks-${chunks}`)
    fs.mkdirSync(vm)
    writeRandomDisk(path.join(vm, 'disk.img'), chunks, ctx.opts.seed)
    await ctx.cli.run(['init', '-q'], { cwd: vm })
    await ctx.cli.run(['commit', '-q', '-m', `${chunks} chunks`], { cwd: vm })
    const point = await withDaemon(ctx, `chunks-${chunks}`, async (t) => {
      await t.addRemote(vm)
      const push = await t.push(vm)
      const clone = await t.clone(path.join(ctx.work, `chunks-clone-${chunks}`), ctx.work)
      return { chunks, pushRequests: push.requests ?? NaN, cloneRequests: clone.requests ?? NaN, cloneBytes: clone.bytesReceived }
    })
    fs.rmSync(vm, { recursive: true, force: true })
    fs.rmSync(path.join(ctx.work, `chunks-clone-${chunks}`), { recursive: true, force: true })
    if (!point) return undefined
    points.push(point)
  }
  return points
}

export async function runTransferScalingCase(ctx: BenchContext): Promise<CaseResult> {
  const lengths = ctx.opts.quick ? [1, 10] : ctx.opts.large ? [1, 10, 100, 1000] : [1, 10, 100]
  const counts = ctx.opts.quick ? [100, 1000] : ctx.opts.large ? [1000, 10_000, 100_000] : [1000, 10_000]
  const base = { id: 'transfer-scaling', title: 'Requests per transfer against history and chunk count', corpus: {}, steps: [] }
  const history = await historyPoints(ctx, lengths)
  const chunks = history ? await chunkPoints(ctx, counts) : undefined
  if (!history || !chunks) return { ...base, description: '', targets: [], notes: ['this build has no push, clone or pull: nothing to count'] }
  const targets: Target[] = [
    {
      id: 'up-to-date-one-round-trip',
      text: 'fetch of an up-to-date repository: one HTTP round trip, whatever the history length',
      measured: history.map((p) => `${p.commits} commits: ${p.upToDateRequests}`).join(', '),
      ratio: Math.max(...history.map((p) => p.upToDateRequests)),
      holds: history.every((p) => p.upToDateRequests <= 1),
    },
    {
      id: 'requests-flat-in-chunks',
      text: 'requests per transfer do not grow with chunk count (push and clone)',
      measured: chunks.map((p) => `${p.chunks} chunks: push ${p.pushRequests}, clone ${p.cloneRequests}`).join('; '),
      ratio: chunks[chunks.length - 1]!.cloneRequests / chunks[0]!.cloneRequests,
      holds: chunks.every((p) => p.cloneRequests === chunks[0]!.cloneRequests && p.pushRequests === chunks[0]!.pushRequests),
    },
  ]
  return {
    ...base,
    description: `HTTP requests counted by ankagit's push, clone and pull (--json stats) against a local daemon: for a VM with ${lengths.join(', ')} commits of history, and for disks of ${counts.join(', ')} distinct 64 KiB chunks.`,
    targets,
    transferScaling: { history, chunks },
    notes: [],
  }
}
