/**
 * A folder that shows one version of a bundle after another at the same path, as a VM folder does
 * when the VM changes: only files whose content changed are replaced (cp --sparse=always, holes
 * kept), files gone from the version are removed, and unchanged files keep their inode and times,
 * so tools that skip unchanged files by their metadata (borg's files cache, restic's parent
 * snapshot, ankagit's index) can.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { runCommand } from './corpus/command.js'
import { bundleFiles } from './bundle-facts.js'

export interface Version {
  name: string
  dir: string
  /** BLAKE3 of each bundle file (fingerprintBundle), taken once by the caller. */
  prints: Record<string, string>
}

export class PresentedTree {
  private shown: Record<string, string> = {}

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true })
  }

  /** Makes the folder hold `v`; returns the files that were (re)written. */
  async show(v: Version): Promise<string[]> {
    for (const rel of bundleFiles(this.dir)) {
      if (!(rel in v.prints)) fs.rmSync(path.join(this.dir, rel))
    }
    const written: string[] = []
    for (const [rel, print] of Object.entries(v.prints)) {
      if (this.shown[rel] === print && fs.existsSync(path.join(this.dir, rel))) continue
      const to = path.join(this.dir, rel)
      fs.mkdirSync(path.dirname(to), { recursive: true })
      fs.rmSync(to, { force: true })
      await runCommand('cp', ['--sparse=always', '--preserve=mode', path.join(v.dir, rel), to])
      written.push(rel)
    }
    this.shown = { ...v.prints }
    return written
  }
}
