/**
 * borg (Debian's 1.2): buzhash content-defined chunks, lz4 by default, no encryption. Two settings:
 * its default (2 MiB average, 19,23,21) and 64 KiB average (14,18,16), the one design.md's table
 * found closest to the fixed-block ideal. The wire figure is the repository's growth (borg serve
 * receives the same segments).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BackupTool, VersionCost } from './backup-tool.js'
import { treeSize } from './bundle-facts.js'
import { runCommand } from './corpus/command.js'
import { benchEnv, runMeasured } from './measured-run.js'
import type { Version } from './presented-tree.js'
import { withLoad } from './step.js'

export function borgTool(version: string, chunker: 'default' | '64k'): BackupTool {
  let repo = ''
  let env: NodeJS.ProcessEnv = {}
  const params = chunker === '64k' ? ['--chunker-params', 'buzhash,14,18,16,4095'] : []
  return {
    id: chunker === '64k' ? 'borg-64k' : 'borg',
    label: chunker === '64k' ? `${version} (buzhash 64 KiB, lz4)` : `${version} (buzhash 2 MiB, lz4: defaults)`,
    wireMethod: 'repository growth (what borg serve receives)',
    async init(stateDir: string): Promise<void> {
      fs.mkdirSync(stateDir, { recursive: true })
      repo = path.join(stateDir, 'repo')
      env = {
        ...benchEnv(),
        // Caches and the files cache live with the repository, not in $HOME.
        BORG_BASE_DIR: path.join(stateDir, 'base'),
        BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
        BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
      }
      await runCommand('borg', ['init', '--encryption=none', repo], { env: env as Record<string, string> })
    },
    async record(v: Version): Promise<VersionCost> {
      const before = treeSize(repo).bytes
      const run = await withLoad(() => runMeasured('borg', ['create', ...params, `${repo}::${v.name}`, '.'], { cwd: v.dir, env }))
      const stored = treeSize(repo).bytes - before
      return { run, storedBytes: stored, wireBytes: stored }
    },
  }
}
