/**
 * casync (Debian's 2): the folder serialized as a catar stream, cut by buzhash into 16/64/256 KiB
 * chunks (its defaults), each stored zstd-compressed as a file in a chunk store, plus a .caidx index
 * per version. Stored and sent: the new chunk files and the index (casync has no server of its own;
 * desync and HTTP stores fetch exactly these files).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BackupTool, VersionCost } from './backup-tool.js'
import { treeSize } from './bundle-facts.js'
import { runMeasured } from './measured-run.js'
import type { Version } from './presented-tree.js'
import { withLoad } from './step.js'

export function casyncTool(version: string): BackupTool {
  let state = ''
  return {
    id: 'casync',
    label: `${version} (buzhash 16/64/256 KiB, zstd)`,
    wireMethod: 'new chunk files plus the index (what an HTTP chunk store serves)',
    async init(stateDir: string): Promise<void> {
      state = stateDir
      fs.mkdirSync(path.join(state, 'store'), { recursive: true })
    },
    async record(v: Version): Promise<VersionCost> {
      const store = path.join(state, 'store')
      const index = path.join(state, `${v.name}.caidx`)
      const before = treeSize(store).bytes
      const run = await withLoad(() => runMeasured('casync', ['make', `--store=${store}`, index, '.'], { cwd: v.dir }))
      const stored = treeSize(store).bytes - before + fs.statSync(index).size
      return { run, storedBytes: stored, wireBytes: stored }
    },
  }
}
