/**
 * `ankagit tag`: lightweight tags (a ref under refs/tags/ naming any object, usually a commit) and
 * annotated tags (a tag object with tagger and message, src/objects/tag.ts, which the ref names).
 * An existing tag is replaced only with force, and then by compare-and-swap from the value read, so
 * two writers never silently overwrite each other.
 */
import type { AbortOptions } from '../options.js'
import type { Repository } from '../repository.js'
import type { ObjectId, ObjectKind } from '../objects/id.js'
import { InvalidArgumentError, NotFoundError, RefConflictError } from '../errors.js'
import { type RefName, checkTagName } from '../refs/ref-name.js'
import { encodeTag } from '../objects/tag.js'
import { peel } from '../objects/read.js'
import { identity } from './identity.js'
import { resolve } from './revision.js'

const TAGS = 'refs/tags/'

export interface TagInfo {
  /** Short name, e.g. "v14.2". */
  name: string
  ref: RefName
  /** What the ref holds: the tag object for an annotated tag. */
  id: ObjectId
  annotated: boolean
  /** Where the tag chain ends (the commit, usually): the ref's value for a lightweight tag.
   *  Absent when an object of the chain is missing (fsck reports it), so listing still works. */
  target?: ObjectId
  targetKind?: ObjectKind
}

/** Every tag, sorted by name (git's order). */
export async function listTags(o: AbortOptions & { repo: Repository }): Promise<TagInfo[]> {
  const out: TagInfo[] = []
  for await (const [ref, id] of o.repo.refs.list(TAGS, o)) {
    const info: TagInfo = { name: ref.slice(TAGS.length), ref, id, annotated: false }
    try {
      const end = await peel(o.repo.objects, id, o)
      Object.assign(info, { annotated: end.id !== id, target: end.id, targetKind: end.kind })
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err
    }
    out.push(info)
  }
  return out
}

export interface CreateTagOptions extends AbortOptions {
  repo: Repository
  name: string
  /** What to tag; default HEAD. Not peeled, as in git: tagging a tag name tags that tag object. */
  rev?: string
  /** Make an annotated tag object (implied by message). */
  annotate?: boolean
  message?: string
  /** Replace an existing tag of that name. */
  force?: boolean
  /** For the tagger identity (ANKAGIT_AUTHOR_*); default process.env. */
  env?: NodeJS.ProcessEnv
}

export interface CreateTagResult {
  name: string
  ref: RefName
  /** The ref's new value: the tag object when annotated, else the tagged object. */
  id: ObjectId
  annotated: boolean
  /** The tagged object. */
  object: ObjectId
  /** The value the tag held before, when force replaced it. */
  replaced?: ObjectId
}

export async function createTag(o: CreateTagOptions): Promise<CreateTagResult> {
  const { repo } = o
  const ref = checkTagName(o.name)
  const annotated = Boolean(o.annotate || o.message !== undefined)
  if (annotated && !o.message?.trim()) throw new InvalidArgumentError(`annotated tag '${o.name}' needs a message (-m)`, { name: o.name })
  const object = await resolve(repo, o.rev ?? 'HEAD', o)
  const type = await kindOf(repo, object, o)
  const before = (await repo.refs.read(ref, o)) ?? null
  if (before !== null && !o.force) throw exists(o.name, ref, before)
  let id = object
  if (annotated) {
    const tagger = await identity(repo, o.env)
    id = repo.objects.put('tag', encodeTag({ object, type, name: o.name, tagger, message: normalizeMessage(o.message!) }))
    await repo.objects.flush(o)
  }
  try {
    await repo.refs.update([{ name: ref, next: id, expect: before, message: `tag: tagging ${object} (${type})` }], o)
  } catch (err) {
    if (err instanceof RefConflictError && before === null) throw exists(o.name, ref, (err.data.actual as ObjectId | null) ?? null)
    throw err
  }
  const result: CreateTagResult = { name: o.name, ref, id, annotated, object }
  if (before !== null && before !== id) result.replaced = before
  return result
}

export interface DeleteTagResult {
  name: string
  /** The value the tag held. */
  id: ObjectId
}

export async function deleteTag(o: AbortOptions & { repo: Repository; name: string }): Promise<DeleteTagResult> {
  const ref = checkTagName(o.name)
  const id = await o.repo.refs.read(ref, o)
  if (id === undefined) throw new NotFoundError(`tag '${o.name}' not found`, { name: o.name })
  await o.repo.refs.update([{ name: ref, next: null, expect: id, message: 'tag: deleted' }], o)
  return { name: o.name, id }
}

async function kindOf(repo: Repository, id: ObjectId, opts: AbortOptions): Promise<ObjectKind> {
  await repo.objects.load(opts)
  return repo.objects.locate(id)?.entry.kind ?? (await repo.objects.get(id, opts)).kind
}

function exists(name: string, ref: RefName, actual: ObjectId | null): RefConflictError {
  return new RefConflictError(`tag '${name}' already exists`, { name: ref, expected: null, actual })
}

/** As git keeps messages: trailing blank space removed, one final newline. */
function normalizeMessage(message: string): string {
  return message.replace(/\s+$/, '') + '\n'
}
