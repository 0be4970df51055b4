/**
 * The machine a benchmark ran on, recorded next to its figures: CPU, cores, memory, kernel, OS,
 * Node, the filesystem under the work folder, tool versions, and the load average, because the
 * machine is shared and a figure taken under load means something else than one taken idle.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'

export interface Machine {
  cpu: string
  cores: number
  memoryBytes: number
  kernel: string
  os: string
  node: string
  /** Filesystem type of the work folder (ext4, xfs, tmpfs, overlay ...). */
  workFilesystem: string
  tools: Record<string, string>
}

/** `uptime`'s three load averages, rounded to hundredths. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = os.loadavg()
  const r = (x: number | undefined) => Math.round((x ?? 0) * 100) / 100
  return [r(a), r(b), r(c)]
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))
    return m?.[1] ?? os.type()
  } catch {
    return os.type()
  }
}

/** First line a command prints on stdout, or on stderr when stdout is empty (mke2fs -V prints there). */
function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 })
  if (r.error) return 'not installed'
  const text = r.stdout.trim() || r.stderr.trim()
  return text.split('\n')[0] ?? ''
}

/** Version lines of the tools the bench runs; a missing tool reads 'not installed'. */
export function toolVersions(tools: Record<string, [string, string[]]>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, [cmd, args]] of Object.entries(tools)) out[name] = firstLine(cmd, args)
  return out
}

export function describeMachine(workDir: string, tools: Record<string, [string, string[]]>): Machine {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    os: osName(),
    node: process.version,
    workFilesystem: firstLine('stat', ['-f', '-c', '%T', workDir]),
    tools: toolVersions(tools),
  }
}
