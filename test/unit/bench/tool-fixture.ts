/** Two small versions of a bundle for the tool tests: v2 rewrites one 64 KiB block of disk.img and the config. */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fingerprintBundle } from '../../../bench/bundle-facts.js'
import type { Version } from '../../../bench/presented-tree.js'
import { PresentedTree } from '../../../bench/presented-tree.js'
import { makeSparseFile } from '../../helpers/sparse.js'

const MiB = 2 ** 20

export function twoVersions(root: string): Version[] {
  const v1 = path.join(root, 'v1')
  const v2 = path.join(root, 'v2')
  fs.mkdirSync(v1)
  fs.mkdirSync(v2)
  makeSparseFile(path.join(v1, 'disk.img'), 32 * MiB, [{ offset: 0, length: 4 * MiB, seed: 1 }])
  makeSparseFile(path.join(v2, 'disk.img'), 32 * MiB, [{ offset: 0, length: 4 * MiB, seed: 1 }, { offset: MiB, length: 65536, seed: 2 }])
  fs.writeFileSync(path.join(v1, 'config.json'), '{"revision":1}\n')
  fs.writeFileSync(path.join(v2, 'config.json'), '{"revision":2}\n')
  return [
    { name: 'v1', dir: v1, prints: fingerprintBundle(v1) },
    { name: 'v2', dir: v2, prints: fingerprintBundle(v2) },
  ]
}

/** Shows each version at one folder and lets `record` see it there, as the series does. */
export async function showEach<T>(root: string, versions: Version[], record: (v: Version) => Promise<T>): Promise<T[]> {
  const tree = new PresentedTree(path.join(root, 'tree'))
  const out: T[] = []
  for (const v of versions) {
    await tree.show(v)
    out.push(await record({ ...v, dir: tree.dir }))
  }
  return out
}
