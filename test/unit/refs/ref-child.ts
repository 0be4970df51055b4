/**
 * A separate process for the ref tests (not a test file itself). Modes:
 *   hold  <target>                          lock <target>, print "locked", then wait to be killed
 *   race  <dir> <ref> <expect> <next> <goAt> wait until goAt (ms), one CAS update, print "won" or "conflict"
 *   chain <dir> <ref> <seed> <count>          count CAS updates of ref, re-reading after each conflict; print "done"
 */
import { createHash } from 'node:crypto'
import { RefConflictError } from '../../../src/errors.js'
import type { ObjectId } from '../../../src/objects/id.js'
import { FileRefStore } from '../../../src/refs/file-ref-store.js'
import { LockFile } from '../../../src/refs/lock-file.js'
import type { RefName } from '../../../src/refs/ref-name.js'

const [mode, ...args] = process.argv.slice(2)

async function main(): Promise<void> {
  if (mode === 'hold') {
    await LockFile.acquire(args[0]!)
    process.stdout.write('locked\n')
    setInterval(() => {}, 1 << 30)
    return
  }
  if (mode === 'race') {
    const [dir, ref, expect, next, goAt] = args as [string, string, string, string, string]
    const store = new FileRefStore(dir, { lockTimeoutMs: 20_000 })
    while (Date.now() < Number(goAt)) await new Promise((res) => setTimeout(res, 1))
    try {
      await store.update([{ name: ref as RefName, next: next as ObjectId, expect: expect as ObjectId }])
      process.stdout.write('won\n')
    } catch (err) {
      process.stdout.write(err instanceof RefConflictError ? 'conflict\n' : `error ${String(err)}\n`)
    }
    return
  }
  if (mode === 'chain') {
    const [dir, ref, seed, count] = args as [string, string, string, string]
    const store = new FileRefStore(dir, { lockTimeoutMs: 20_000 })
    for (let i = 0; i < Number(count); ) {
      const current = await store.read(ref as RefName)
      const next = createHash('sha256').update(`${seed}/${i}`).digest('hex') as ObjectId
      try {
        await store.update([{ name: ref as RefName, next, expect: current ?? null, message: `${seed} ${i}` }])
        i++
      } catch (err) {
        if (!(err instanceof RefConflictError)) throw err
      }
    }
    process.stdout.write('done\n')
    return
  }
  throw new Error(`unknown mode '${mode}'`)
}

await main()
