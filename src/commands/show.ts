/**
 * `ankagit show [REV]`: a commit with the files it changed against its first parent (diff() of
 * src/commands/diff.ts), and for an annotated tag the tag first, then the commit it names. A root
 * commit shows every file as added, with its data bytes (holes are not data) as changed and
 * transferred bytes.
 */
import type { ProgressOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { InvalidArgumentError } from '../errors.js'
import type { Commit } from '../objects/commit.js'
import type { Tag } from '../objects/tag.js'
import { readBundleFiles, readCommit, readTag } from '../objects/read.js'
import { diffFileTrees } from '../objects/file-extents.js'
import { LiveMarks } from '../maintenance/live-marks.js'
import { type FileDiff, diff } from './diff.js'
import { resolve } from './revision.js'

export interface ShowOptions extends ProgressOptions {
  repo: Repository
  /** Default HEAD. */
  rev?: string
}

export interface ShowResult {
  /** Annotated tags followed to reach the commit, outermost first. */
  tags: Array<{ id: ObjectId; tag: Tag }>
  id: ObjectId
  commit: Commit
  /** The first parent compared against; absent for a root commit. */
  parent?: ObjectId
  /** Changed files only. */
  files: FileDiff[]
  changedBytes: number
  transferBytes: number
}

const RANGES_SHOWN = 5

export async function show(o: ShowOptions): Promise<ShowResult> {
  const { repo } = o
  const rev = o.rev ?? 'HEAD'
  let id = await resolve(repo, rev, o)
  const tags: ShowResult['tags'] = []
  for (let kind = await kindOf(repo, id, o); kind === 'tag'; kind = await kindOf(repo, id, o)) {
    const tag = await readTag(repo.objects, id, o)
    tags.push({ id, tag })
    if (tags.length > 32) throw new InvalidArgumentError(`tag chain at '${rev}' is too deep`)
    id = tag.object
  }
  const commit = await readCommit(repo.objects, id, o)
  const parent = commit.parents[0]
  if (parent) {
    const d = await diff({ repo, from: parent, to: id, signal: o.signal, onProgress: o.onProgress })
    return { tags, id, commit, parent, files: d.files, changedBytes: d.changedBytes, transferBytes: d.transferBytes }
  }
  const files = await rootFiles(repo, commit, o)
  return { tags, id, commit, files, changedBytes: sum(files, 'changedBytes'), transferBytes: sum(files, 'transferBytes') }
}

async function kindOf(repo: Repository, id: ObjectId, o: ProgressOptions): Promise<string> {
  await repo.objects.load(o)
  return repo.objects.locate(id)?.entry.kind ?? (await repo.objects.get(id, o)).kind
}

/** A root commit's files, all added: every chunk is changed, and each distinct chunk is transferred once
 *  (counted with one mark bit per stored object, not a set of ids: a 60 GB disk has a million chunks). */
async function rootFiles(repo: Repository, commit: Commit, o: ProgressOptions): Promise<FileDiff[]> {
  await repo.objects.load(o)
  const seen = new LiveMarks(repo.objects)
  const out: FileDiff[] = []
  for (const [path, f] of [...(await readBundleFiles(repo.objects, commit.tree, o))].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const d: FileDiff = { path, status: 'added', newSize: f.size, changedBytes: 0, changedRanges: 0, ranges: [], transferBytes: 0 }
    let last: [number, number] | undefined
    for await (const c of diffFileTrees(repo.objects, undefined, f.id, o)) {
      if (c.kind !== 'chunk') continue
      d.changedBytes += c.length
      if (!seen.isMarked(c.id)) {
        seen.mark(c.id)
        d.transferBytes += c.length
      }
      if (last && last[1] === c.offset) last[1] += c.length
      else {
        last = [c.offset, c.offset + c.length]
        d.changedRanges++
        if (d.ranges.length < RANGES_SHOWN) d.ranges.push(last)
      }
    }
    out.push(d)
  }
  return out
}

function sum(files: FileDiff[], key: 'changedBytes' | 'transferBytes'): number {
  return files.reduce((a, f) => a + f[key], 0)
}
