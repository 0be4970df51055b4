/**
 * Lists the files of a VM bundle: every regular file under the working tree except .ankagit, with
 * bundle paths ('/'-separated, relative). Symbolic links and special files are refused, not followed:
 * a link could make a commit read, or a checkout write, outside the bundle.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InvalidArgumentError } from '../errors.js'
import { entryNameProblem } from '../objects/vm-tree.js'
import { GITDIR_NAME } from '../repository.js'

export interface ScannedFile {
  /** Bundle path, e.g. "disk.img" or "Data/nvram.bin". */
  path: string
  stat: fs.BigIntStats
}

export function scanWorktree(dir: string): ScannedFile[] {
  const out: ScannedFile[] = []
  const walk = (abs: string, rel: string) => {
    for (const name of fs.readdirSync(abs).sort()) {
      if (rel === '' && name === GITDIR_NAME) continue
      const bundlePath = rel ? `${rel}/${name}` : name
      const problem = entryNameProblem(name)
      if (problem) throw new InvalidArgumentError(`cannot record '${bundlePath}': name ${problem}`)
      const full = path.join(abs, name)
      const st = fs.lstatSync(full, { bigint: true })
      if (st.isDirectory()) walk(full, bundlePath)
      else if (st.isFile()) out.push({ path: bundlePath, stat: st })
      else if (st.isSymbolicLink()) throw new InvalidArgumentError(`cannot record '${bundlePath}': symbolic links are not supported`)
      else throw new InvalidArgumentError(`cannot record '${bundlePath}': not a regular file or directory`)
    }
  }
  walk(dir, '')
  return out
}
