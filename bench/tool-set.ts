/**
 * Which tools a case compares, given what is installed: restic, borg, casync, rsync, the whole-file
 * strategy and Tart's slice strategy on every case; borg with 64 KiB chunks and git-lfs (which writes
 * every changed file whole, 8 GiB per version of the main case) where they cost little or with --large.
 */
import type { BackupTool } from './backup-tool.js'
import { borgTool } from './tool-borg.js'
import { casyncTool } from './tool-casync.js'
import { gitLfsTool } from './tool-git-lfs.js'
import { resticTool } from './tool-restic.js'
import { rsyncTool } from './tool-rsync.js'
import { tartTool } from './tool-tart.js'
import { wholeFileTool } from './tool-whole-file.js'

/** git-lfs runs by default only on cases whose files add up to less than this (apparent). */
export const LFS_DEFAULT_LIMIT = 3 * 2 ** 30

export interface ToolChoice {
  available: ReadonlySet<string>
  /** Version line of each tool, for labels. */
  versions: Record<string, string>
  /** Apparent bytes of the case's largest version. */
  caseBytes: number
  large: boolean
}

export function competitorTools(c: ToolChoice): { tools: BackupTool[]; skipped: string[] } {
  const tools: BackupTool[] = []
  const skipped: string[] = []
  const has = (n: string) => c.available.has(n)
  const v = (n: string) => c.versions[n] ?? n
  if (has('restic')) tools.push(resticTool(v('restic')))
  if (has('borg')) tools.push(borgTool(v('borg'), 'default'))
  if (has('borg') && c.large) tools.push(borgTool(v('borg'), '64k'))
  if (has('casync')) tools.push(casyncTool(v('casync')))
  if (has('rsync')) tools.push(rsyncTool(v('rsync')))
  if (has('git') && has('git-lfs')) {
    if (c.large || c.caseBytes < LFS_DEFAULT_LIMIT) tools.push(gitLfsTool(v('git-lfs')))
    else skipped.push(`git-lfs left out: it would write every changed file whole (${(c.caseBytes / 2 ** 30).toFixed(1)} GiB per version); --large runs it`)
  }
  if (has('zstd')) tools.push(wholeFileTool())
  if (has('lz4')) tools.push(tartTool('lz4'))
  if (has('zstd')) tools.push(tartTool('zstd'))
  return { tools, skipped }
}
