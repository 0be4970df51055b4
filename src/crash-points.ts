/**
 * Fault injection for crash-safety tests (test/crash/): named points in the write paths of commit,
 * checkout and gc where the process can kill itself with SIGKILL, as a power cut or `kill -9` would,
 * leaving whatever is on disk at that instant. Off unless the environment asks for it:
 *
 *   ANKAGIT_CRASH_AT=<point>[:<n>]   SIGKILL this process the n-th time (default 1) it reaches <point>
 *   ANKAGIT_CRASH_TRACE=<file>       append the name of every point reached to <file>, one per line,
 *                                    so a test can list the points (and how often each is hit) first
 *
 * The variables are read once, on the first call. Unset, a call costs one comparison. SIGKILL cannot
 * be caught, so no `finally`, exit hook or pending write runs afterwards: the same as a real crash,
 * and unlike throwing, which would run the cleanup a crash never gets.
 *
 * Call sites are one line each, `crashPoint('pack-saved')`, in: store/local.ts, pack/pack-writer.ts,
 * objects/object-store.ts, refs/file-ref-store.ts, worktree/index-file.ts, worktree/assemble-file.ts,
 * commands/commit.ts, commands/checkout.ts, maintenance/collect-garbage.ts.
 */
import * as fs from 'node:fs'

/** Every point, in the order a commit, a checkout and a gc reach them. */
export const CRASH_POINTS = [
  // store/local.ts: one value of the object store
  'store-temp-written', //     temp file written and fsynced, not yet renamed into place
  'store-renamed', //          renamed into place, directory not yet fsynced
  // pack/pack-writer.ts and objects/object-store.ts
  'pack-saved', //             a pack saved, its index not yet
  'data-packs-saved', //       every data pack of a flush saved, the metadata pack not yet
  // refs/file-ref-store.ts
  'ref-staged', //             new ref values written beside the refs, not yet renamed
  'ref-renamed', //            refs renamed into place, reflogs not yet appended
  // commands/commit.ts
  'commit-objects-saved', //   commit object durable, ref not yet moved
  'commit-ref-moved', //       ref moved, index (stat cache) not yet written
  // worktree/index-file.ts
  'index-temp-written', //     new index written to its temp file, not yet renamed
  // commands/checkout.ts and worktree/assemble-file.ts
  'checkout-marked', //        CHECKOUT marker written, no file touched yet
  'assemble-batch-written', // one batch of a file's chunks written (mid-file)
  'checkout-file-written', //  one whole file written
  'checkout-files-removed', // files the target lacks removed, HEAD not yet moved
  'checkout-head-moved', //    HEAD moved, index not yet written nor marker removed
  // maintenance/collect-garbage.ts and objects/object-store.ts
  'gc-rewrites-saved', //      new packs of rewritten live frames saved, no old pack deleted yet
  'gc-index-deleted', //       an old pack's index removed, its pack not yet
  'gc-pack-deleted', //        one old pack fully removed
] as const

export type CrashPoint = (typeof CRASH_POINTS)[number]

interface Plan {
  at?: CrashPoint
  nth: number
  trace?: string
}

let plan: Plan | undefined
let hits = 0

function readPlan(): Plan {
  const env = process.env.ANKAGIT_CRASH_AT
  const trace = process.env.ANKAGIT_CRASH_TRACE || undefined
  if (!env) return { nth: 0, trace }
  const [name, n] = env.split(':')
  // An unknown name is a typo in a test: never crashing would let that test pass for nothing.
  if (!(CRASH_POINTS as readonly string[]).includes(name!)) throw new Error(`ANKAGIT_CRASH_AT names no crash point: '${env}'`)
  const nth = n === undefined ? 1 : Number(n)
  if (!Number.isSafeInteger(nth) || nth < 1) throw new Error(`ANKAGIT_CRASH_AT has a bad count: '${env}'`)
  return { at: name as CrashPoint, nth, trace }
}

/** Kills this process with SIGKILL if ANKAGIT_CRASH_AT names this point and this is its n-th hit. */
export function crashPoint(name: CrashPoint): void {
  plan ??= readPlan()
  if (plan.trace) fs.appendFileSync(plan.trace, name + '\n')
  if (plan.at !== name || ++hits !== plan.nth) return
  process.kill(process.pid, 'SIGKILL')
}
