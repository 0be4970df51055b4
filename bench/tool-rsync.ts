/**
 * rsync -z with its delta algorithm forced on (locally it would copy whole files) into a mirror
 * that holds the previous version, keeping holes. Its cost is on the wire only: what the two rsync
 * processes exchanged (--stats, bytes sent plus received). A mirror keeps one full copy, so there is
 * no "stored" figure to compare. Not --inplace: in place, rsync cannot reuse data that moved towards
 * the end of a file (it would overwrite it first), and sent the whole archive after 100 inserted
 * bytes (96.3 of 96.4 MiB here); into a new file it sends only the change.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BackupTool, VersionCost } from './backup-tool.js'
import { runMeasured } from './measured-run.js'
import type { Version } from './presented-tree.js'
import { withLoad } from './step.js'

/** Sum of "Total bytes sent" and "Total bytes received" in rsync --stats output. */
export function rsyncWireBytes(stats: string): number {
  const num = (label: string): number => {
    const m = new RegExp(`Total bytes ${label}:\\s*([\\d,.]+)`).exec(stats)
    if (!m) throw new Error(`rsync --stats printed no 'Total bytes ${label}' line`)
    return Number(m[1]!.replace(/[,.]/g, ''))
  }
  return num('sent') + num('received')
}

export function rsyncTool(version: string): BackupTool {
  let mirror = ''
  return {
    id: 'rsync',
    label: `${version} (-z, delta algorithm)`,
    wireMethod: 'bytes sent plus received (--stats)',
    async init(stateDir: string): Promise<void> {
      mirror = path.join(stateDir, 'mirror')
      fs.mkdirSync(mirror, { recursive: true })
    },
    async record(v: Version): Promise<VersionCost> {
      const run = await withLoad(() => runMeasured('rsync', ['-a', '-z', '--no-whole-file', '--sparse', '--delete', '--stats', './', mirror + '/'], { cwd: v.dir }))
      return { run, wireBytes: rsyncWireBytes(run.stdout) }
    },
  }
}
