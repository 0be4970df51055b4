/**
 * The small files of a bundle: config.json (the VM's hardware, as Tart or Anka keep it) and
 * nvram.bin (firmware variables: a few hundred KiB, mostly zeros, written sparse).
 */
import * as fsp from 'node:fs/promises'
import { SeededBytes, SeededRandom } from './seeded-random.js'

export const NVRAM_BYTES = 384 * 1024

export interface VmConfig {
  version: 1
  name: string
  os: 'linux'
  arch: 'x86_64'
  cpuCount: number
  memorySize: number
  diskSize: number
  disk: 'disk.img'
  nvram: 'nvram.bin'
  macAddress: string
  display: { width: number; height: number }
  /** Counts the updates applied since the VM was made. */
  revision: number
  suspended: boolean
}

/** A locally administered MAC address (QEMU/KVM prefix 52:54:00). */
export function seededMac(seed: number, label: string): string {
  const b = new SeededBytes(seed, `mac:${label}`).take(3)
  return ['52', '54', '00', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':')
}

export function makeConfig(o: { seed: number; diskSize: number; memorySize: number; suspended: boolean }): VmConfig {
  const rnd = new SeededRandom(o.seed, 'config')
  return {
    version: 1,
    name: `corpus-vm-${o.seed}`,
    os: 'linux',
    arch: 'x86_64',
    cpuCount: [2, 4, 8][rnd.below(3)]!,
    memorySize: o.memorySize,
    diskSize: o.diskSize,
    disk: 'disk.img',
    nvram: 'nvram.bin',
    macAddress: seededMac(o.seed, 'make'),
    display: { width: 1920, height: 1080 },
    revision: 1,
    suspended: o.suspended,
  }
}

export async function readConfig(file: string): Promise<VmConfig> {
  return JSON.parse(await fsp.readFile(file, 'utf8')) as VmConfig
}

export async function writeConfig(file: string, config: VmConfig): Promise<void> {
  await fsp.writeFile(file, JSON.stringify(config, null, 2) + '\n')
}

/** Where firmware variables live: a header page, then a variable store in the second 64 KiB. */
const VAR_STORE = 64 * 1024
const VAR_COUNT = 48

/** Writes a fresh nvram.bin: a header and seeded variables, the rest holes. */
export async function makeNvram(file: string, seed: number): Promise<void> {
  const bytes = new SeededBytes(seed, 'nvram')
  const rnd = new SeededRandom(seed, 'nvram-layout')
  const fh = await fsp.open(file, 'wx')
  try {
    await fh.truncate(NVRAM_BYTES)
    const header = Buffer.alloc(64)
    header.write('_FVH', 40, 'latin1')
    bytes.take(16).copy(header, 16)
    await fh.write(header, 0, header.length, 0)
    let at = VAR_STORE
    for (let i = 0; i < VAR_COUNT; i++) {
      const name = Buffer.from(`Var${i.toString(16).padStart(4, '0')}\0`, 'utf16le')
      const data = bytes.take(rnd.between(4, 1500))
      const v = Buffer.concat([Buffer.from([0xaa, 0x55, 0x3f, 0x00]), name, data])
      await fh.write(v, 0, v.length, at)
      at += v.length + (-v.length & 3)
    }
  } finally {
    await fh.close()
  }
}

/** Changes a few variables in place, as firmware does when the boot order or a setting changes. */
export async function tweakNvram(file: string, seed: number): Promise<void> {
  const rnd = new SeededRandom(seed, 'nvram-tweak')
  const bytes = new SeededBytes(seed, 'nvram-tweak')
  const fh = await fsp.open(file, 'r+')
  try {
    for (let i = 0; i < 4; i++) {
      const at = VAR_STORE + rnd.below(VAR_COUNT * 700)
      await fh.write(bytes.take(16), 0, 16, at)
    }
  } finally {
    await fh.close()
  }
}
