/**
 * The strategy of shipping changed files whole, compressed: what re-uploading an image costs when
 * nothing finer than a file is tracked. Every file whose content differs from the previous version
 * goes through `zstd -3 -T2`; stored and sent are the compressed bytes.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BackupTool, VersionCost } from './backup-tool.js'
import { runMeasured } from './measured-run.js'
import type { Version } from './presented-tree.js'
import { withLoad } from './step.js'

export function wholeFileTool(): BackupTool {
  let state = ''
  let previous: Record<string, string> = {}
  return {
    id: 'whole-file',
    label: 'whole changed files, zstd -3 -T2',
    wireMethod: 'the compressed changed files',
    async init(stateDir: string): Promise<void> {
      state = stateDir
      previous = {}
      fs.mkdirSync(state, { recursive: true })
    },
    async record(v: Version): Promise<VersionCost> {
      const changed = Object.keys(v.prints).filter((f) => previous[f] !== v.prints[f])
      previous = { ...v.prints }
      if (changed.length === 0) return { storedBytes: 0, wireBytes: 0 }
      const out = path.join(state, `${v.name}.zst`)
      const run = await withLoad(() => runMeasured('zstd', ['-q', '-3', '-T2', '-c', ...changed], { cwd: v.dir, stdoutFile: out }))
      const bytes = fs.statSync(out).size
      fs.rmSync(out)
      return { run, storedBytes: bytes, wireBytes: bytes }
    },
  }
}
