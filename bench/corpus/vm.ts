/**
 * Realistic, seeded VM bundles made on this machine, for the demo, end-to-end tests and
 * benchmarks. A bundle is a folder holding disk.img (a sparse raw disk with a real ext4
 * filesystem), config.json, nvram.bin and, when suspended, memory.img. The same seed on the
 * same host gives the same bytes (see README.md for the one exception, `method: 'mount'`).
 */
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { InvalidArgumentError } from '../../src/errors.js'
import { applyWithDebugfs } from './apply-debugfs.js'
import { MountRefusedError, applyWithMount } from './apply-mount.js'
import { runCommand } from './command.js'
import { readImageFile } from './debugfs.js'
import { corpusTime, makeExt4Image } from './ext4-image.js'
import { listHostFiles } from './host-files.js'
import { MANIFEST_PATH, encodeManifest, parseManifest } from './manifest.js'
import { writeMemoryImage } from './memory-image.js'
import { unmountUnder } from './mounts.js'
import { mkdirs, stageSourceTree } from './source-tree.js'
import { type ChangeMix, EDIT_MIX, RewriteFeed, UPGRADE_MIX, planUpdate } from './update-plan.js'
import { makeConfig, makeNvram, readConfig, seededMac, tweakNvram, writeConfig } from './vm-config.js'

export { makeInsertedArchive } from './archive.js'

export const DISK = 'disk.img'
export const CONFIG = 'config.json'
export const NVRAM = 'nvram.bin'
export const MEMORY = 'memory.img'

export interface MakeVmOptions {
  /** Bundle folder; must not exist or be empty. */
  dir: string
  /** Apparent disk size in bytes (a multiple of 4096). */
  diskSize: number
  /** Bytes of file content put into the filesystem. */
  dataBytes: number
  seed: number
  suspended?: boolean
  /** Memory size (config.json, and memory.img when suspended); 256 MiB unless given. */
  memorySize?: number
  /** With `debian: true`, where the Debian base is kept. */
  cacheDir?: string
  /** Start from a debootstrap minbase of Debian bookworm instead of host files only (see source-tree.ts). */
  debian?: boolean
}

export interface UpdateReport {
  method: 'mount' | 'debugfs'
  filesAdded: number
  filesChanged: number
  filesRemoved: number
  bytesAdded: number
  /** Bytes written over existing blocks of changed files. */
  bytesChanged: number
  bytesRemoved: number
}

const DEFAULT_MEMORY = 256 * 1024 * 1024

export async function makeVm(o: MakeVmOptions): Promise<void> {
  if (!(o.diskSize > 0) || o.diskSize % 4096 !== 0) throw new InvalidArgumentError(`invalid disk size '${o.diskSize}': must be a positive multiple of 4096`)
  if (fs.existsSync(o.dir) && fs.readdirSync(o.dir).length > 0) throw new InvalidArgumentError(`bundle folder '${o.dir}' is not empty`)
  const created = !fs.existsSync(o.dir)
  const staging = await fsp.mkdtemp(path.join(os.tmpdir(), 'ankagit-stage-'))
  try {
    await fsp.mkdir(o.dir, { recursive: true })
    const tree = await stageSourceTree({ dest: path.join(staging, 'root'), bytes: o.dataBytes, seed: o.seed, debian: o.debian, cacheDir: o.cacheDir })
    const manifestFile = path.join(tree.dir, MANIFEST_PATH)
    await mkdirs(path.dirname(manifestFile))
    const manifestDirs = [...new Set([...tree.dirs, '/var', '/var/lib', path.posix.dirname(MANIFEST_PATH)])]
    await fsp.writeFile(manifestFile, encodeManifest({ files: tree.files, dirs: manifestDirs, others: tree.others }), { mode: 0o644 })
    await fsp.chmod(manifestFile, 0o644)
    // Host files keep their own mtime in the image; this one was just written, so it gets the corpus clock.
    await fsp.utimes(manifestFile, corpusTime(o.seed, 'make'), corpusTime(o.seed, 'make'))
    const withManifest = { ...tree, files: [...tree.files, { path: MANIFEST_PATH, size: fs.statSync(manifestFile).size }], dirs: manifestDirs.sort() }
    const disk = path.join(o.dir, DISK)
    await makeExt4Image({ image: disk, size: o.diskSize, source: withManifest, seed: o.seed })
    const memorySize = o.memorySize ?? DEFAULT_MEMORY
    await writeConfig(path.join(o.dir, CONFIG), makeConfig({ seed: o.seed, diskSize: o.diskSize, memorySize, suspended: !!o.suspended }))
    await makeNvram(path.join(o.dir, NVRAM), o.seed)
    if (o.suspended) await writeMemoryImage({ file: path.join(o.dir, MEMORY), disk, size: memorySize, seed: o.seed })
  } catch (err) {
    if (created) await fsp.rm(o.dir, { recursive: true, force: true })
    else for (const f of [DISK, CONFIG, NVRAM, MEMORY]) await fsp.rm(path.join(o.dir, f), { force: true })
    throw err
  } finally {
    await unmountUnder(staging)
    await fsp.rm(staging, { recursive: true, force: true })
  }
}

/**
 * Changes the filesystem in place as a package upgrade in a running VM does (new files, files
 * rewritten where they lie, files deleted; see update-plan.ts), plus a config revision and a few
 * nvram variables. `method` picks loop mount or debugfs; without it, mount is tried first and
 * debugfs used when the kernel refuses the mount.
 */
export function updateVmInPlace(dir: string, o: { seed: number; changeBytes: number; method?: 'mount' | 'debugfs' }): Promise<UpdateReport> {
  return changeVmInPlace(dir, o, UPGRADE_MIX)
}

async function changeVmInPlace(dir: string, o: { seed: number; changeBytes: number; method?: 'mount' | 'debugfs' }, mix: ChangeMix): Promise<UpdateReport> {
  if (!(o.changeBytes > 0)) throw new InvalidArgumentError(`invalid change size '${o.changeBytes}': must be positive`)
  if (o.method !== undefined && o.method !== 'mount' && o.method !== 'debugfs') throw new InvalidArgumentError(`invalid update method '${o.method}': expected 'mount' or 'debugfs'`)
  const disk = path.join(dir, DISK)
  if (!fs.existsSync(disk)) throw new InvalidArgumentError(`'${dir}' is not a vm bundle: no ${DISK}`)
  const manifest = parseManifest(await readImageFile(disk, MANIFEST_PATH))
  const plan = planUpdate({ manifest, pool: await listHostFiles(), seed: o.seed, changeBytes: o.changeBytes, mix })
  const time = corpusTime(o.seed, 'update')
  const apply = (m: 'mount' | 'debugfs') => (m === 'mount' ? applyWithMount : applyWithDebugfs)(disk, plan, new RewriteFeed(plan.rewriteSource, o.seed), time)
  let method = o.method ?? 'mount'
  let result
  try {
    result = await apply(method)
  } catch (err) {
    if (o.method !== undefined || !(err instanceof MountRefusedError)) throw err
    method = 'debugfs'
    result = await apply(method)
  }
  const config = await readConfig(path.join(dir, CONFIG))
  await writeConfig(path.join(dir, CONFIG), { ...config, revision: config.revision + 1 })
  await tweakNvram(path.join(dir, NVRAM), o.seed)
  const sum = (files: { size: number }[]) => files.reduce((a, f) => a + f.size, 0)
  return {
    method,
    filesAdded: plan.add.length,
    filesChanged: plan.rewrite.length,
    filesRemoved: plan.remove.length,
    bytesAdded: sum(plan.add),
    bytesChanged: result.rewrittenBytes,
    bytesRemoved: sum(plan.remove),
  }
}

/** (Re)writes memory.img from the current disk; over an existing image of the same size only some pages change. */
export async function suspendVm(dir: string, o: { seed: number; memorySize: number }): Promise<void> {
  const disk = path.join(dir, DISK)
  if (!fs.existsSync(disk)) throw new InvalidArgumentError(`'${dir}' is not a vm bundle: no ${DISK}`)
  await writeMemoryImage({ file: path.join(dir, MEMORY), disk, size: o.memorySize, seed: o.seed })
  const config = await readConfig(path.join(dir, CONFIG))
  await writeConfig(path.join(dir, CONFIG), { ...config, memorySize: o.memorySize, suspended: true })
}

/**
 * Copies a bundle keeping holes (cp --sparse=always), gives it a new name and MAC address, and
 * rewrites a few existing files in place (`changeBytes` of them; nothing added or deleted). A suspended state is not copied: it would not match the changed disk.
 */
export async function cloneVm(src: string, dest: string, o: { seed: number; changeBytes: number }): Promise<void> {
  if (!fs.existsSync(path.join(src, DISK))) throw new InvalidArgumentError(`'${src}' is not a vm bundle: no ${DISK}`)
  if (fs.existsSync(dest)) throw new InvalidArgumentError(`clone destination '${dest}' already exists`)
  await fsp.mkdir(dest, { recursive: true })
  try {
    for (const f of [DISK, CONFIG, NVRAM]) await runCommand('cp', ['--sparse=always', path.join(src, f), path.join(dest, f)])
    const config = await readConfig(path.join(dest, CONFIG))
    const name = `${config.name}-clone-${o.seed}`
    await writeConfig(path.join(dest, CONFIG), { ...config, name, macAddress: seededMac(o.seed, 'clone'), suspended: false })
    await changeVmInPlace(dest, { seed: o.seed, changeBytes: o.changeBytes }, EDIT_MIX)
  } catch (err) {
    await fsp.rm(dest, { recursive: true, force: true })
    throw err
  }
}
