/**
 * The corpus's package database: a file inside each image listing every entry the corpus put
 * there, one per line, sorted by path: "<size>\t<path>" for a regular file, "d\t<path>" for a
 * folder, "l\t<path>" for anything else (symlink, device). Updates read it to choose what to
 * change, remove or add and rewrite it afterwards, as dpkg rewrites /var/lib/dpkg in an upgrade.
 */
import { CorruptObjectError } from '../../src/errors.js'

export const MANIFEST_PATH = '/var/lib/ankagit-corpus/files.tsv'

export interface Manifest {
  files: { path: string; size: number }[]
  dirs: string[]
  others: string[]
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export function encodeManifest(m: Manifest): Buffer {
  const lines: [string, string][] = [
    ...m.files.filter((f) => f.path !== MANIFEST_PATH).map((f): [string, string] => [f.path, String(f.size)]),
    ...m.dirs.map((d): [string, string] => [d, 'd']),
    ...m.others.map((o): [string, string] => [o, 'l']),
  ]
  lines.sort((a, b) => byPath(a[0], b[0]))
  return Buffer.from(lines.map(([p, tag]) => `${tag}\t${p}\n`).join(''), 'utf8')
}

export function parseManifest(bytes: Uint8Array): Manifest {
  const m: Manifest = { files: [], dirs: [], others: [] }
  for (const line of Buffer.from(bytes).toString('utf8').split('\n')) {
    if (line === '') continue
    const tab = line.indexOf('\t')
    const tag = line.slice(0, tab)
    const p = line.slice(tab + 1)
    if (tab < 1 || !p.startsWith('/')) throw new CorruptObjectError(`manifest line '${line.slice(0, 80)}' is malformed: expected '<size|d|l>\\t/<path>'`)
    if (tag === 'd') m.dirs.push(p)
    else if (tag === 'l') m.others.push(p)
    else if (/^\d+$/.test(tag)) m.files.push({ path: p, size: Number(tag) })
    else throw new CorruptObjectError(`manifest line '${line.slice(0, 80)}' has an unknown tag '${tag}'`)
  }
  return m
}
