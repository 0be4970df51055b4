/**
 * `ankagit log`: commits reachable from a revision, newest first by committer time (git's default
 * order), each once.
 */
import type { AbortOptions } from '../options.js'
import { throwIfAborted } from '../errors.js'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import type { Commit } from '../objects/commit.js'
import { readCommit } from '../objects/read.js'
import { resolveCommitish } from './revision.js'

export interface LogEntry {
  id: ObjectId
  commit: Commit
}

export interface LogOptions extends AbortOptions {
  repo: Repository
  rev?: string
  maxCount?: number
}

export async function* log(o: LogOptions): AsyncIterable<LogEntry> {
  const start = await resolveCommitish(o.repo, o.rev ?? 'HEAD', o)
  const seen = new Set<string>([start])
  const queue: LogEntry[] = [{ id: start, commit: await readCommit(o.repo.objects, start, o) }]
  let shown = 0
  while (queue.length && (o.maxCount === undefined || shown < o.maxCount)) {
    throwIfAborted(o.signal)
    queue.sort((a, b) => a.commit.committer.time - b.commit.committer.time)
    const next = queue.pop()!
    yield next
    shown++
    for (const p of next.commit.parents) {
      if (seen.has(p)) continue
      seen.add(p)
      queue.push({ id: p, commit: await readCommit(o.repo.objects, p, o) })
    }
  }
}
