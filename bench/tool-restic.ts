/**
 * restic (Debian's 0.14): content-defined chunks of 512 KiB to 8 MiB (~1 MiB average), packed,
 * compressed with zstd ("auto") in a version 2 repository, no encryption switch (a fixed password).
 * A remote repository receives exactly the pack and index files a backup adds, so the wire figure
 * is the repository's growth.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BackupTool, VersionCost } from './backup-tool.js'
import { treeSize } from './bundle-facts.js'
import { runCommand } from './corpus/command.js'
import { benchEnv, runMeasured } from './measured-run.js'
import type { Version } from './presented-tree.js'
import { withLoad } from './step.js'

export function resticTool(version: string): BackupTool {
  let repo = ''
  let env: NodeJS.ProcessEnv = {}
  return {
    id: 'restic',
    label: `${version} (CDC ~1 MiB, zstd auto)`,
    wireMethod: 'repository growth (what a remote repository receives)',
    async init(stateDir: string): Promise<void> {
      fs.mkdirSync(stateDir, { recursive: true })
      repo = path.join(stateDir, 'repo')
      // The cache sits beside the repository so it is neither counted as stored nor left in $HOME.
      env = { ...benchEnv(), RESTIC_PASSWORD: 'bench', RESTIC_CACHE_DIR: path.join(stateDir, 'cache') }
      await runCommand('restic', ['-r', repo, 'init', '--repository-version', '2'], { env: env as Record<string, string> })
    },
    async record(v: Version): Promise<VersionCost> {
      const before = treeSize(repo).bytes
      const run = await withLoad(() => runMeasured('restic', ['-r', repo, 'backup', '--quiet', '--host', 'bench', '--tag', v.name, '.'], { cwd: v.dir, env }))
      const stored = treeSize(repo).bytes - before
      return { run, storedBytes: stored, wireBytes: stored }
    },
  }
}
