/**
 * git with git-lfs tracking every file: each changed file is stored whole (SHA-256 of the content)
 * under .git/lfs/objects, uncompressed, and an LFS server receives it whole. The git folder lives in
 * the tool's state folder and the shown folder is its work tree, so nothing is added to the folder
 * the other tools read.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BackupTool, VersionCost } from './backup-tool.js'
import { treeSize } from './bundle-facts.js'
import { runCommand } from './corpus/command.js'
import { benchEnv, runMeasured } from './measured-run.js'
import type { Version } from './presented-tree.js'
import { withLoad } from './step.js'

export function gitLfsTool(version: string): BackupTool {
  let gitDir = ''
  let ready = false
  const envFor = (workTree: string): Record<string, string> => ({
    ...(benchEnv() as Record<string, string>),
    GIT_DIR: gitDir,
    GIT_WORK_TREE: workTree,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@localhost',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@localhost',
  })
  return {
    id: 'git-lfs',
    label: `${version} (every file in LFS, whole)`,
    wireMethod: 'new LFS objects and git objects (an LFS server receives changed files whole)',
    async init(stateDir: string): Promise<void> {
      fs.mkdirSync(stateDir, { recursive: true })
      gitDir = path.join(stateDir, 'git')
      ready = false
    },
    async record(v: Version): Promise<VersionCost> {
      const env = envFor(v.dir)
      if (!ready) {
        // The work tree is known only now; setting up is not part of the measured cost.
        await runCommand('git', ['init', '-q'], { env, cwd: v.dir })
        await runCommand('git', ['lfs', 'install', '--local'], { env, cwd: v.dir })
        fs.writeFileSync(path.join(gitDir, 'info', 'attributes'), '* filter=lfs diff=lfs merge=lfs -text\n')
        ready = true
      }
      const before = treeSize(gitDir).bytes
      const run = await withLoad(() => runMeasured('sh', ['-c', `git add -A && git commit -q -m ${v.name}`], { cwd: v.dir, env }))
      const stored = treeSize(gitDir).bytes - before
      return { run: { ...run, command: `git add -A && git commit -q -m ${v.name}` }, storedBytes: stored, wireBytes: stored }
    },
  }
}
