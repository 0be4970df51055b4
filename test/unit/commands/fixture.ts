/**
 * In-memory repositories for the command tests: a MemoryBackend object store, a MemoryRefStore and a
 * config file in a temp folder, plus helpers that write real objects (chunks in frames, file trees,
 * vm trees, commits) the way commit does, without a working tree or worker threads.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Repository } from '../../../src/repository.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { MemoryRefStore } from '../../../src/refs/memory-ref-store.js'
import { RepoConfig } from '../../../src/config.js'
import { type ObjectId, hashObjectBytes, idFromBytes } from '../../../src/objects/id.js'
import { FileTreeBuilder } from '../../../src/objects/file-tree.js'
import { type VmEntry, encodeVmTree } from '../../../src/objects/vm-tree.js'
import { encodeCommit } from '../../../src/objects/commit.js'
import { FrameBuilder } from '../../../src/pack/frame.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import { parseRefName } from '../../../src/refs/ref-name.js'
import type { AbortOptions } from '../../../src/options.js'
import type { BackendStat } from '../../../src/store/backend.js'

export interface TestRepo extends Repository {
  backend: MemoryBackend
}

/** Identity for tags made in tests: fixed name, email and time. */
export const ENV = { ANKAGIT_AUTHOR_NAME: 'Ada Tester', ANKAGIT_AUTHOR_EMAIL: 'ada@example.com', ANKAGIT_AUTHOR_DATE: '1700000000' }

const made: string[] = []

export function memoryRepo(backend = new MemoryBackend()): TestRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-cmd-'))
  const gitdir = path.join(dir, '.ankagit')
  fs.mkdirSync(gitdir)
  fs.writeFileSync(path.join(gitdir, 'config'), '[core]\n\trepositoryformatversion = 1\n')
  made.push(dir)
  if (made.length === 1) process.on('exit', () => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))
  return { dir, gitdir, objects: new ObjectStore(backend), refs: new MemoryRefStore({ who: 'test@host' }), config: new RepoConfig(gitdir), backend }
}

/** Deterministic bytes that do not compress away (xorshift32). */
export function bytes(seed: number, n: number): Buffer {
  const out = Buffer.alloc(n)
  let x = seed * 2654435761 + 1 || 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/**
 * Stores data as fixed-size chunks (all-zero blocks become holes), `chunksPerFrame` chunks to a frame,
 * and its file tree; returns the root. Chunks the store already holds are not stored again.
 */
export async function storeFile(store: ObjectStore, data: Buffer, chunkSize = 4096, chunksPerFrame = 4): Promise<{ id: ObjectId; size: number }> {
  const tree = new FileTreeBuilder({ kind: 'fixed', size: chunkSize }, (body) => store.put('file', body))
  const frames = new FrameBuilder(chunkSize * chunksPerFrame)
  const inFrame = new Set<string>()
  const emit = async () => {
    inFrame.clear()
    const f = frames.take()
    if (f) await store.putFrame({ data: compressFrame(f.raw), objects: f.objects })
  }
  await store.load()
  for (let off = 0; off < data.length; off += chunkSize) {
    const chunk = data.subarray(off, Math.min(off + chunkSize, data.length))
    if (chunk.every((b) => b === 0)) {
      tree.hole(chunk.length)
      continue
    }
    const idBytes = hashObjectBytes('chunk', chunk)
    tree.chunk(chunk.length, idFromBytes(idBytes))
    const hex = idBytes.toString('hex')
    if (store.contains(idBytes) || inFrame.has(hex)) continue
    inFrame.add(hex)
    if (frames.add('chunk', idBytes, chunk)) await emit()
  }
  await emit()
  return tree.finish()
}

export interface CommitSpec {
  parents?: ObjectId[]
  message?: string
  time?: number
  /** Move this ref to the new commit (no compare-and-swap). */
  ref?: string
  suspended?: string
}

/** Writes files ('dir/name' paths make subdirectories), their vm trees and a commit, then flushes. */
export async function commitFiles(repo: Repository, files: Record<string, Buffer | string>, spec: CommitSpec = {}): Promise<ObjectId> {
  const tree = await storeTree(repo.objects, Object.entries(files).map(([p, b]) => [p.split('/'), typeof b === 'string' ? Buffer.from(b) : b]))
  const who = { name: 'Ada Tester', email: 'ada@example.com', time: spec.time ?? 1_700_000_000, tzOffset: 60 }
  const commit = { tree, parents: spec.parents ?? [], author: who, committer: who, message: (spec.message ?? 'test') + '\n', ...(spec.suspended ? { suspended: { memory: spec.suspended } } : {}) }
  const id = repo.objects.put('commit', encodeCommit(commit))
  await repo.objects.flush()
  if (spec.ref) await repo.refs.update([{ name: parseRefName(spec.ref), next: id }])
  return id
}

async function storeTree(store: ObjectStore, files: Array<[string[], Buffer]>): Promise<ObjectId> {
  const entries: VmEntry[] = []
  const dirs = new Map<string, Array<[string[], Buffer]>>()
  for (const [parts, data] of files) {
    if (parts.length > 1) dirs.set(parts[0]!, [...(dirs.get(parts[0]!) ?? []), [parts.slice(1), data]])
    else {
      const f = await storeFile(store, data)
      entries.push({ name: parts[0]!, type: 'file', mode: 0o644, size: f.size, id: f.id })
    }
  }
  for (const [name, sub] of dirs) entries.push({ name, type: 'dir', mode: 0o755, size: 0, id: await storeTree(store, sub) })
  return store.put('vm', encodeVmTree({ entries }))
}

/**
 * A MemoryBackend whose values carry the time of a settable clock instead of Date.now(), so gc's
 * grace period can be tested without waiting: save at clock 0, then run gc with `now` later.
 */
export class ClockedBackend extends MemoryBackend {
  clock = 0
  private readonly times = new Map<string, number>()

  /** Runs (once, then cleared) before the next save: lets a test act "during" another operation. */
  beforeNextSave?: (key: string) => Promise<void>

  override async save(key: string, body: Uint8Array | readonly Uint8Array[], opts?: AbortOptions): Promise<void> {
    const hook = this.beforeNextSave
    this.beforeNextSave = undefined
    await hook?.(key)
    await super.save(key, body, opts)
    if (!this.times.has(key)) this.times.set(key, this.clock)
  }

  override async stat(key: string, opts?: AbortOptions): Promise<BackendStat | undefined> {
    const st = await super.stat(key, opts)
    return st && { size: st.size, mtimeMs: this.times.get(key) ?? st.mtimeMs }
  }

  override async remove(key: string, opts?: AbortOptions): Promise<void> {
    await super.remove(key, opts)
    this.times.delete(key)
  }
}

/** Flips one bit of a stored value (MemoryBackend refuses overwrites, so remove and save). */
export async function flipByte(backend: MemoryBackend, key: string, offset: number): Promise<void> {
  const buf = await backend.load(key)
  buf[offset < 0 ? buf.length + offset : offset]! ^= 0x10
  await backend.remove(key)
  await backend.save(key, buf)
}
