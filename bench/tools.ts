/**
 * The tools ankagit is compared with, installed from Debian when missing, so `npm run bench` runs on
 * a fresh machine. Installing changes /usr, which the corpus draws its files from, so the bench
 * installs before it makes any VM: one run always sees one set of host files.
 */
import { spawnSync } from 'node:child_process'
import { runCommand } from './corpus/command.js'

export interface ToolSpec {
  /** The command the bench runs. */
  command: string
  /** The Debian package that provides it. */
  debianPackage: string
  /** Arguments that print the version on the first line. */
  versionArgs: string[]
}

export const COMPETITOR_TOOLS: Record<string, ToolSpec> = {
  restic: { command: 'restic', debianPackage: 'restic', versionArgs: ['version'] },
  borg: { command: 'borg', debianPackage: 'borgbackup', versionArgs: ['--version'] },
  casync: { command: 'casync', debianPackage: 'casync', versionArgs: ['--version'] },
  rsync: { command: 'rsync', debianPackage: 'rsync', versionArgs: ['--version'] },
  zstd: { command: 'zstd', debianPackage: 'zstd', versionArgs: ['--version'] },
  lz4: { command: 'lz4', debianPackage: 'lz4', versionArgs: ['--version'] },
  git: { command: 'git', debianPackage: 'git', versionArgs: ['--version'] },
  'git-lfs': { command: 'git-lfs', debianPackage: 'git-lfs', versionArgs: ['version'] },
}

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

export interface ToolSetup {
  /** Tools that can run. */
  available: Set<string>
  /** Debian packages this run installed. */
  installed: string[]
  /** Why a tool is missing, for the report. */
  problems: string[]
}

/**
 * Installs the packages of missing tools with apt-get (refreshing the package lists once if the
 * first attempt fails). A tool that still cannot run is left out of the comparison, not fatal.
 */
export async function ensureTools(names: readonly string[], log: (line: string) => void): Promise<ToolSetup> {
  const missing = names.filter((n) => !hasCommand(COMPETITOR_TOOLS[n]!.command))
  const setup: ToolSetup = { available: new Set(names.filter((n) => !missing.includes(n))), installed: [], problems: [] }
  if (missing.length === 0) return setup
  const packages = [...new Set(missing.map((n) => COMPETITOR_TOOLS[n]!.debianPackage))]
  const args = ['install', '-y', '--no-install-recommends', ...packages]
  log(`installing ${packages.join(', ')} from Debian`)
  const env = { DEBIAN_FRONTEND: 'noninteractive' }
  try {
    await runCommand('apt-get', args, { env }).catch(async () => {
      await runCommand('apt-get', ['update'], { env })
      await runCommand('apt-get', args, { env })
    })
    setup.installed = packages
  } catch (err) {
    setup.problems.push(`apt-get install ${packages.join(' ')} failed: ${(err as Error).message}`)
  }
  for (const n of missing) {
    if (hasCommand(COMPETITOR_TOOLS[n]!.command)) setup.available.add(n)
    else setup.problems.push(`${n} is not available (package ${COMPETITOR_TOOLS[n]!.debianPackage}); left out of the comparison`)
  }
  return setup
}

/** "restic 0.14.0" from a tool's version line ("restic 0.14.0 compiled with go1.19.8 ..."): the first dotted number, else the first number. */
export function shortVersion(name: string, line: string): string {
  const text = line.replace(/go\d[\d.]*/g, '')
  const m = /\d+(?:\.\d+)+/.exec(text) ?? /\b\d+\b/.exec(text)
  return m ? `${name} ${m[0]}` : name
}
