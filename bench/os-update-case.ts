/**
 * Issue 2's benchmark: a new VM (sparse disk with a real Debian filesystem) committed, changed in
 * place by a package-install-like update, committed again; a commit with nothing changed; checkout
 * of the first version over the second and into an emptied folder; fsck. Side by side in the same
 * run: `zstd -1 -T2` and `cat` over the same files, `cp --sparse=always` of the same VM, and the
 * 64 KiB-aligned ideal delta (ideal-delta.ts). Timed steps alternate between tools, repeat.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { runCommand } from './corpus/command.js'
import { makeVm, updateVmInPlace } from './corpus/vm.js'
import { bundleFiles, fingerprintBundle, treeSize } from './bundle-facts.js'
import { belowToolsTarget, fasterThanTarget, idealTarget, toolErrors } from './comparison-targets.js'
import { compareVersions } from './compare-versions.js'
import type { ToolSeries } from './series.js'
import type { BenchContext, CaseResult, Fact } from './context.js'
import { idealDelta } from './ideal-delta.js'
import { runMeasured } from './measured-run.js'
import { runCheckoutSteps } from './checkout-steps.js'
import { type LoadedRun, type Step, stepFromRuns, withLoad } from './step.js'
import { TransportSteps } from './transport-steps.js'
import { osUpdateTargets } from './os-update-targets.js'
import { profileSlowSteps } from './profile-steps.js'

interface CommitJson {
  newChunks: number
  newBytes: number
  storedBytes: number
  filesRead: number
}

const KiB = 1024

export async function runOsUpdateCase(ctx: BenchContext): Promise<CaseResult> {
  const { opts, cli, log, work } = ctx
  const vm = path.join(work, 'vm')
  const v1 = path.join(work, 'v1')
  const repo = path.join(vm, '.ankagit')
  const R = opts.repeat

  log(`making the VM: ${opts.diskBytes} bytes apparent, ${opts.dataBytes} bytes of files${opts.debian ? ' on a Debian base' : ''}`)
  const t0 = Date.now()
  await makeVm({ dir: vm, diskSize: opts.diskBytes, dataBytes: opts.dataBytes, seed: opts.seed, debian: opts.debian, cacheDir: opts.cacheDir })
  const makeSeconds = (Date.now() - t0) / 1000
  await runCommand('cp', ['-a', '--sparse=always', vm, v1])
  const files = bundleFiles(vm)
  const v1Size = treeSize(vm, files)
  const [v1Ideal] = await idealDelta({ base: [], target: files.map((f) => path.join(v1, f)) })

  log(`commit of v1, zstd -1 -T2 and cat over the same files, ${R} times each`)
  const commitV1: LoadedRun[] = []
  const zstdV1: LoadedRun[] = []
  const catV1: LoadedRun[] = []
  const zstdOut = path.join(work, 'v1.zst')
  for (let i = 0; i < R; i++) {
    fs.rmSync(repo, { recursive: true, force: true })
    await cli.run(['init', '-q'], { cwd: vm })
    commitV1.push(await withLoad(() => cli.run(['commit', '-m', 'v1', '--json'], { cwd: vm })))
    zstdV1.push(await withLoad(() => runMeasured('zstd', ['-q', '-1', '-T2', '-c', ...files], { cwd: vm, stdoutFile: zstdOut })))
    catV1.push(await withLoad(() => runMeasured('cat', files, { cwd: vm, stdoutFile: '/dev/null' })))
  }
  const c1 = JSON.parse(commitV1[commitV1.length - 1]!.stdout) as CommitJson
  const store1 = treeSize(path.join(repo, 'objects'))
  const zstdBytes = fs.statSync(zstdOut).size
  fs.rmSync(zstdOut)
  await cli.run(['tag', 'v1'], { cwd: vm })
  const transport = await TransportSteps.start(ctx)
  if (transport) log('push of v1 to a local daemon, and clone of it')
  await transport?.afterFirstCommit(vm)
  const snapshot = path.join(work, 'store-after-v1')
  await runCommand('cp', ['-a', repo, snapshot])

  log(`update in place: ${opts.changeBytes} bytes of new and rewritten files`)
  const update = await updateVmInPlace(vm, { seed: opts.seed + 1, changeBytes: opts.changeBytes })
  const v2Files = bundleFiles(vm)
  const v2Size = treeSize(vm, v2Files)
  log('ideal delta: novel 4 KiB, 64 KiB and 1 MiB blocks of v2, zstd -3')
  const ideal = await idealDelta({ base: files.map((f) => path.join(v1, f)), target: v2Files.map((f) => path.join(vm, f)), blockSizes: [4 * KiB, 64 * KiB, 1024 * KiB] })

  log(`re-commit after the update, and cat of the changed files, ${R} times each (the store is restored to v1 between runs)`)
  const commitV2: LoadedRun[] = []
  const catV2: LoadedRun[] = []
  const growth: number[] = []
  for (let i = 0; i < R; i++) {
    if (i > 0) {
      fs.rmSync(repo, { recursive: true, force: true })
      await runCommand('cp', ['-a', snapshot, repo])
    }
    const before = treeSize(path.join(repo, 'objects')).bytes
    commitV2.push(await withLoad(() => cli.run(['commit', '-m', 'v2', '--json'], { cwd: vm })))
    growth.push(treeSize(path.join(repo, 'objects')).bytes - before)
    catV2.push(await withLoad(() => runMeasured('cat', v2Files, { cwd: vm, stdoutFile: '/dev/null' })))
  }
  fs.rmSync(snapshot, { recursive: true, force: true })
  await transport?.afterSecondCommit(vm)
  transport?.stop()
  const c2 = JSON.parse(commitV2[commitV2.length - 1]!.stdout) as CommitJson
  await cli.run(['tag', 'v2'], { cwd: vm })

  log('commit with nothing changed')
  const noop: LoadedRun[] = []
  const nodeStart: LoadedRun[] = []
  const version: LoadedRun[] = []
  for (let i = 0; i < Math.max(5, R); i++) {
    const r = await withLoad(() => cli.run(['commit', '-m', 'nothing'], { cwd: vm, okCodes: [1] }))
    if (!/nothing to commit/.test(r.stderr)) throw new Error(`'${r.command}' failed for another reason than an unchanged VM: ${r.stderr.trim()}`)
    noop.push(r)
    // What any command pays before doing work, measured beside it: start-up, then loading the CLI.
    nodeStart.push(await withLoad(() => runMeasured(process.execPath, ['-e', '0'], { cwd: vm })))
    version.push(await withLoad(() => cli.run(['--version'], { cwd: vm })))
  }

  log(`checkout of v1 over v2, into an emptied folder, and cp --sparse=always of v1, ${R} times each`)
  const checkout = await runCheckoutSteps(ctx, { vm, v1, v2Files, repeat: R })

  log('fsck')
  const fsckRuns: LoadedRun[] = []
  for (let i = 0; i < R; i++) {
    const r = await withLoad(() => cli.run(['fsck', '--json'], { cwd: vm }))
    if (!(JSON.parse(r.stdout) as { ok: boolean }).ok) throw new Error(`fsck found problems: ${r.stdout.slice(0, 300)}`)
    fsckRuns.push(r)
  }
  const counts = (await cli.json<{ objects: number; packs: number }>(['count-objects', '--json'], { cwd: vm })).value
  const storeFiles = treeSize(repo)
  const ideal64 = ideal.find((b) => b.blockSize === 64 * KiB)!

  const steps: Step[] = [
    stepFromRuns({ id: 'commit-v1', label: 'commit of v1 (new VM)', tool: 'ankagit', cwd: vm, bytesStored: store1.bytes, extra: { newChunks: c1.newChunks, newBytes: c1.newBytes, packBytes: c1.storedBytes, storeFilesCreated: store1.files } }, commitV1),
    stepFromRuns({ id: 'zstd-v1', label: 'zstd -1 -T2 of v1 (same files)', tool: 'zstd', cwd: vm, bytesStored: zstdBytes }, zstdV1),
    stepFromRuns({ id: 'cat-v1', label: 'cat of v1 (reading the files)', tool: 'cat', cwd: vm }, catV1),
    stepFromRuns({ id: 'commit-v2', label: 're-commit after the update', tool: 'ankagit', cwd: vm, bytesStored: growth[0]!, extra: { newChunks: c2.newChunks, newBytes: c2.newBytes, packBytes: c2.storedBytes, filesRead: c2.filesRead } }, commitV2),
    stepFromRuns({ id: 'cat-v2', label: 'cat of v2 (reading the files)', tool: 'cat', cwd: vm }, catV2),
    stepFromRuns({ id: 'commit-noop', label: 'commit with nothing changed', tool: 'ankagit', cwd: vm }, noop),
    stepFromRuns({ id: 'node-start', label: 'node -e 0 (start-up, for reference)', tool: 'node', cwd: vm }, nodeStart),
    stepFromRuns({ id: 'ankagit-version', label: 'ankagit --version (start-up and CLI load)', tool: 'ankagit', cwd: vm }, version),
    ...checkout.steps,
    ...(transport?.steps ?? []),
    stepFromRuns({ id: 'fsck', label: 'fsck (2 commits)', tool: 'ankagit', cwd: vm, extra: { objects: counts.objects, packs: counts.packs } }, fsckRuns),
  ]
  // The other tools over the same two versions; ankagit's figures are the ones measured above.
  const comparison = await compareVersions(
    ctx,
    [
      { name: 'v1', dir: v1, prints: fingerprintBundle(v1) },
      { name: 'v2', dir: vm, prints: fingerprintBundle(vm) },
    ],
    { withAnkagit: false, ideal: { v1: v1Ideal!.novelZstdBytes, v2: ideal64.novelZstdBytes } },
  )
  comparison.tools.unshift(ankagitSeries(steps, store1.bytes, growth[0]!))
  const profiles = opts.profile ? await profileSlowSteps(ctx, v1) : undefined
  return {
    id: 'os-update',
    title: 'OS update in place',
    description:
      `A VM bundle (disk.img: ${opts.diskBytes} bytes apparent, ext4 made by mkfs.ext4 -d from ${opts.debian ? 'a Debian bookworm minbase topped up with host files' : 'host files'}; config.json; nvram.bin), ` +
      `seed ${opts.seed}, changed in place by ${update.method} like a package upgrade (seed ${opts.seed + 1}): files added, rewritten where they lie, removed.`,
    corpus: {
      apparentBytes: { label: 'bundle size (apparent)', value: v1Size.bytes, unit: 'bytes' },
      allocatedV1: { label: 'allocated, v1', value: v1Size.allocatedBytes, unit: 'bytes' },
      allocatedV2: { label: 'allocated, v2', value: v2Size.allocatedBytes, unit: 'bytes' },
      makeSeconds: { label: 'making the VM took', value: makeSeconds, unit: 'seconds' },
      updateMethod: { label: 'update applied by', value: update.method },
      filesAdded: { label: 'files added', value: update.filesAdded },
      filesChanged: { label: 'files rewritten in place', value: update.filesChanged },
      filesRemoved: { label: 'files removed', value: update.filesRemoved },
      bytesAdded: { label: 'bytes added', value: update.bytesAdded, unit: 'bytes' },
      bytesChanged: { label: 'bytes rewritten in place', value: update.bytesChanged, unit: 'bytes' },
      bytesRemoved: { label: 'bytes removed', value: update.bytesRemoved, unit: 'bytes' },
      idealV1Zstd64K: { label: 'ideal store of v1: distinct non-zero 64 KiB blocks, zstd -3', value: v1Ideal!.novelZstdBytes, unit: 'bytes' },
      ...Object.fromEntries(
        ideal.flatMap((b): Array<[string, Fact]> => [
          [`idealNovel${b.blockSize / KiB}K`, { label: `ideal delta, ${b.blockSize / KiB} KiB blocks: novel bytes`, value: b.novelBytes, unit: 'bytes' }],
          [`idealZstd${b.blockSize / KiB}K`, { label: `ideal delta, ${b.blockSize / KiB} KiB blocks: zstd -3`, value: b.novelZstdBytes, unit: 'bytes' }],
        ]),
      ),
      storeFiles: { label: 'files in .ankagit at the end', value: storeFiles.files },
      storeBytes: { label: 'bytes in .ankagit at the end', value: storeFiles.bytes, unit: 'bytes' },
      objects: { label: 'objects', value: counts.objects },
      packs: { label: 'packs', value: counts.packs },
    },
    steps,
    targets: [
      ...osUpdateTargets({ steps, ideal64: ideal64.novelZstdBytes, storeFiles: storeFiles.files, roundTrip: checkout.roundTrip }),
      belowToolsTarget(comparison, 'v2', ['restic', 'borg', 'casync', 'rsync'], 'the update costs less than with restic, borg, casync and rsync -z (stored; rsync: on the wire)'),
      fasterThanTarget(comparison, 'v1', ['restic', 'borg'], 3, 'commit of the new VM is at least 3 × faster than restic and borg'),
      ...(transport ? [idealTarget(comparison, 'v2', 'wireBytes', 1.05, 'the update on the wire (push) is ≤ 1.05 × the 64 KiB-aligned ideal delta')] : []),
      ...(transport?.targets ?? []),
    ],
    comparison,
    profiles,
    notes: [...checkout.notes, ...(transport?.notes ?? []), ...(transport ? [] : ['no push, clone or pull in this build: on the wire, ankagit is counted as its store growth']), ...comparison.skipped, ...toolErrors(comparison.tools)],
  }
}

/** ankagit's row of the comparison, from the commits measured in this case (medians of its repeats), and the pushes when there were any. */
function ankagitSeries(steps: readonly Step[], storedV1: number, storedV2: number): ToolSeries {
  const pushed = steps.some((x) => x.id === 'push-v2')
  const figures = (id: string, version: string, stored: number) => {
    const s = steps.find((x) => x.id === id)!
    const wire = steps.find((x) => x.id === `push-${version}`)?.bytesOnWire ?? stored
    return { version, seconds: s.seconds, cpuSeconds: s.cpuSeconds, peakRssBytes: s.peakRssBytes, load: s.load, storedBytes: stored, wireBytes: wire, command: s.command }
  }
  return {
    id: 'ankagit',
    label: 'ankagit (64 KiB fixed for images, zstd)',
    wireMethod: pushed ? 'bytes sent by push to a local daemon (push --json stats)' : 'store growth (no push in this build)',
    versions: [figures('commit-v1', 'v1', storedV1), figures('commit-v2', 'v2', storedV2)],
  }
}
