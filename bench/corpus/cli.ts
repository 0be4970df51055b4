#!/usr/bin/env node
/**
 * Command line for the VM corpus (see README.md beside this file):
 *
 *   node dist/bench/corpus/cli.js make-vm DIR --disk-size 8G --data 650M --seed 1 [--suspended] [--memory 2G] [--debian --cache DIR]
 *   node dist/bench/corpus/cli.js update DIR --seed 2 --change 100M [--method mount|debugfs]
 *   node dist/bench/corpus/cli.js suspend DIR --seed 3 --memory 2G
 *   node dist/bench/corpus/cli.js clone SRC DEST --seed 4 --change 10M
 *   node dist/bench/corpus/cli.js archive DIR --seed 5 --size 278M
 *
 * Each prints one JSON line with what it made and how long it took.
 */
import { Command, InvalidArgumentError as CommanderArgumentError } from 'commander'
import { cloneVm, makeInsertedArchive, makeVm, suspendVm, updateVmInPlace } from './vm.js'

/** '650M', '8G', '4096', '1.5G' → bytes (binary units). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)i?B?$/i.exec(text.trim())
  if (!m) throw new CommanderArgumentError(`invalid size '${text}': expected a number with an optional K, M, G or T suffix`)
  const unit = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G' | 'T']
  return Math.round(Number(m[1]) * unit)
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text)) throw new CommanderArgumentError(`invalid seed '${text}': expected a non-negative integer`)
  return Number(text)
}

async function timed(what: string, fn: () => Promise<unknown>): Promise<void> {
  const t0 = Date.now()
  const result = await fn()
  process.stdout.write(JSON.stringify({ command: what, seconds: (Date.now() - t0) / 1000, ...(result ?? {}) }) + '\n')
}

export function makeCorpusProgram(): Command {
  const program = new Command('corpus').description('make realistic, seeded VM bundles for ankagit tests and benchmarks')
  program
    .command('make-vm <dir>')
    .description('make a bundle: sparse ext4 disk.img from real files, config.json, nvram.bin, and memory.img when suspended')
    .requiredOption('--disk-size <size>', 'apparent disk size, e.g. 8G', parseSize)
    .requiredOption('--data <size>', 'bytes of files in the filesystem, e.g. 650M', parseSize)
    .requiredOption('--seed <n>', 'seed', parseSeed)
    .option('--suspended', 'also write memory.img')
    .option('--memory <size>', 'memory size (default 256M)', parseSize)
    .option('--debian', 'start from a debootstrap minbase of Debian bookworm (needs debootstrap and the mirror)')
    .option('--cache <dir>', 'where the Debian base is kept', '/var/cache/ankagit-corpus')
    .action((dir: string, o) =>
      timed('make-vm', () => makeVm({ dir, diskSize: o.diskSize, dataBytes: o.data, seed: o.seed, suspended: !!o.suspended, memorySize: o.memory, debian: !!o.debian, cacheDir: o.cache })),
    )
  program
    .command('update <dir>')
    .description('change the filesystem in place like a package upgrade (new, rewritten and removed files)')
    .requiredOption('--seed <n>', 'seed', parseSeed)
    .requiredOption('--change <size>', 'bytes of new and rewritten file data, e.g. 100M', parseSize)
    .option('--method <method>', "'mount' or 'debugfs' (default: mount, debugfs when mounting is refused)")
    .action((dir: string, o) => {
      if (o.method !== undefined && o.method !== 'mount' && o.method !== 'debugfs') throw new CommanderArgumentError(`invalid method '${o.method}': expected 'mount' or 'debugfs'`)
      return timed('update', () => updateVmInPlace(dir, { seed: o.seed, changeBytes: o.change, method: o.method }))
    })
  program
    .command('suspend <dir>')
    .description('(re)write memory.img; over an existing one of the same size only some pages change')
    .requiredOption('--seed <n>', 'seed', parseSeed)
    .requiredOption('--memory <size>', 'memory size, e.g. 2G', parseSize)
    .action((dir: string, o) => timed('suspend', () => suspendVm(dir, { seed: o.seed, memorySize: o.memory })))
  program
    .command('clone <src> <dest>')
    .description('sparse copy of a bundle with a new name and MAC address and a few files changed')
    .requiredOption('--seed <n>', 'seed', parseSeed)
    .option('--change <size>', 'bytes of changed file data', parseSize, 10 * 2 ** 20)
    .action((src: string, dest: string, o) => timed('clone', () => cloneVm(src, dest, { seed: o.seed, changeBytes: o.change })))
  program
    .command('archive <dir>')
    .description('write base.tar of real files and changed.tar with 100 bytes inserted near its start')
    .requiredOption('--seed <n>', 'seed', parseSeed)
    .requiredOption('--size <size>', 'archive size, e.g. 278M', parseSize)
    .action((dir: string, o) => timed('archive', () => makeInsertedArchive(dir, { seed: o.seed, size: o.size })))
  return program
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  makeCorpusProgram()
    .parseAsync(process.argv)
    .catch((err: Error) => {
      process.stderr.write(`corpus: ${err.message}\n`)
      process.exitCode = 1
    })
}
