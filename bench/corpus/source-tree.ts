/**
 * Stages the directory tree a VM disk is made from (`mkfs.ext4 -d`). Two sources:
 *
 * - host files (the default): real binaries, libraries and data, whole folders at a time as
 *   packages install them, picked by seed from /usr/bin, /usr/lib and /usr/share and hard-linked into the staging folder (copied when linking is
 *   refused). Needs nothing but the host; the same seed gives the same tree on one host, and
 *   a different host (other installed packages) gives a different one. Use it for tests and
 *   for benchmarks that compare tools side by side on one machine.
 * - `debian: true`: a debootstrap minbase of Debian bookworm (about 300 MB, made once under
 *   cacheDir, which takes a few minutes and needs the Debian mirror), topped up with host files
 *   to the byte target. It has a real root layout (/etc, /var/lib/dpkg, symlinks, device nodes).
 *   Use it when figures should describe a real OS disk, as in the published benchmark tables.
 *
 * Paths in the tree are the paths the files will have in the image.
 */
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import { InvalidArgumentError } from '../../src/errors.js'
import { runCommand } from './command.js'
import { ensureDebianBase } from './debian-base.js'
import { listHostFiles } from './host-files.js'
import { pickByFolder } from './pick-files.js'

export interface SourceTreeOptions {
  /** Staging folder; must not exist yet. */
  dest: string
  /** Bytes of file content to stage (the Debian base counts towards it). */
  bytes: number
  seed: number
  debian?: boolean
  /** Where the Debian base is kept; required with `debian: true`. */
  cacheDir?: string
  signal?: AbortSignal
}

export interface StagedFile {
  /** Absolute path inside the image, e.g. '/usr/lib/x86_64-linux-gnu/libz.so.1.2.13'. */
  path: string
  size: number
}

export interface SourceTree {
  dir: string
  /** Regular files, sorted by path. */
  files: StagedFile[]
  /** Folders below the root, sorted. */
  dirs: string[]
  /** Every other entry below the root (symlinks, devices, fifos), sorted. */
  others: string[]
  bytes: number
}

export async function stageSourceTree(o: SourceTreeOptions): Promise<SourceTree> {
  if (!(o.bytes > 0)) throw new InvalidArgumentError(`invalid data size '${o.bytes}': must be positive`)
  if (fs.existsSync(o.dest)) throw new InvalidArgumentError(`staging folder '${o.dest}' already exists`)
  await fsp.mkdir(o.dest, { recursive: true, mode: 0o755 })
  let present = new Set<string>()
  let baseBytes = 0
  if (o.debian) {
    if (!o.cacheDir) throw new InvalidArgumentError('a debian source tree needs a cache folder')
    const base = await ensureDebianBase(o.cacheDir, o.signal)
    // Hard links, symlinks and device nodes as they are: cp -a --link makes no copy of file data.
    await runCommand('cp', ['-a', '--link', base + '/.', o.dest], { signal: o.signal })
    await fsp.chmod(o.dest, 0o755)
    const files = await listTree(o.dest)
    present = new Set(files.files.map((f) => f.path))
    baseBytes = files.files.reduce((a, f) => a + f.size, 0)
  }
  const pool = await listHostFiles()
  const picks = pickByFolder(pool, { bytes: o.bytes - baseBytes, seed: o.seed, label: 'source-tree', exclude: present })
  for (const f of picks) await linkOrCopy(f.path, path.join(o.dest, f.path))
  const tree = await listTree(o.dest)
  return { dir: o.dest, ...tree }
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  await mkdirs(path.dirname(to))
  try {
    await fsp.link(from, to)
  } catch {
    await fsp.copyFile(from, to)
    await fsp.chmod(to, (await fsp.stat(from)).mode & 0o7777)
  }
}

/** mkdir -p with mode 0755 whatever the umask, so folder modes in the image do not depend on the caller. */
export async function mkdirs(dir: string): Promise<void> {
  if (fs.existsSync(dir)) return
  await mkdirs(path.dirname(dir))
  await fsp.mkdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e
  })
  await fsp.chmod(dir, 0o755)
}

/** Lists a staged tree as image paths. */
export async function listTree(root: string): Promise<{ files: StagedFile[]; dirs: string[]; others: string[]; bytes: number }> {
  const files: StagedFile[] = []
  const dirs: string[] = []
  const others: string[] = []
  const visit = async (rel: string): Promise<void> => {
    for (const e of await fsp.readdir(path.join(root, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`
      if (e.isFile()) files.push({ path: p, size: (await fsp.lstat(path.join(root, p))).size })
      else if (e.isDirectory()) {
        dirs.push(p)
        await visit(p)
      } else others.push(p)
    }
  }
  await visit('')
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  files.sort((a, b) => byPath(a.path, b.path))
  dirs.sort(byPath)
  others.sort(byPath)
  return { files, dirs, others, bytes: files.reduce((a, f) => a + f.size, 0) }
}
