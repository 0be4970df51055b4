/**
 * Test VMs for the transport tests: files cut into fixed chunks (zero blocks become holes), stored
 * as frames of consecutive new chunks the way a commit stores them, with file trees, vm trees and
 * commits, so transfers move real objects. Not a test file itself (no .test suffix).
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { LocalBackend } from '../../../src/store/local.js'
import { MemoryRefStore } from '../../../src/refs/memory-ref-store.js'
import type { RefStore } from '../../../src/refs/ref-store.js'
import { type ObjectId, hashObjectBytes, idFromBytes } from '../../../src/objects/id.js'
import { FileTreeBuilder } from '../../../src/objects/file-tree.js'
import { encodeVmTree, type VmEntry } from '../../../src/objects/vm-tree.js'
import { encodeCommit } from '../../../src/objects/commit.js'
import { encodeTag } from '../../../src/objects/tag.js'
import { FrameBuilder } from '../../../src/pack/frame.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import { fileExtents } from '../../../src/objects/file-extents.js'
import { readBundleFiles, readCommit } from '../../../src/objects/read.js'
import { walkReachable } from '../../../src/objects/walk.js'

export const CHUNK = 16 << 10

export interface TestRepo {
  objects: ObjectStore
  refs: RefStore
}

export function memoryRepo(objects = new ObjectStore(new MemoryBackend())): TestRepo {
  return { objects, refs: new MemoryRefStore() }
}

export function tmpDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ankagit-${label}-`))
}

export function localRepo(dir: string): TestRepo {
  return { objects: new ObjectStore(new LocalBackend(dir)), refs: new MemoryRefStore() }
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function noise(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out.writeUInt32LE(x >>> 0, Math.min(i, length - 4))
  }
  return out
}

/** A disk image: `blocks` chunks of noise, with the blocks listed in `zero` left as holes. */
export function disk(blocks: number, seed: number, zero: number[] = []): Buffer {
  const buf = noise(blocks * CHUNK, seed)
  for (const z of zero) buf.fill(0, z * CHUNK, (z + 1) * CHUNK)
  return buf
}

/** Stores a file like a commit does: its new chunks in frames in file order, its tree nodes; returns the root. */
export async function storeFile(store: ObjectStore, content: Buffer, chunk = CHUNK): Promise<ObjectId> {
  await store.load()
  const frames = new FrameBuilder()
  const builder = new FileTreeBuilder({ kind: 'fixed', size: chunk }, (body) => store.put('file', body))
  const pending = new Set<string>()
  const emit = async () => {
    const f = frames.take()
    if (f) await store.putFrame({ data: compressFrame(f.raw), objects: f.objects })
  }
  for (let off = 0; off < content.length; off += chunk) {
    const block = content.subarray(off, Math.min(content.length, off + chunk))
    if (block.every((b) => b === 0)) {
      builder.hole(block.length)
      continue
    }
    const id = hashObjectBytes('chunk', block)
    const hex = id.toString('hex')
    if (!store.contains(id) && !pending.has(hex)) {
      pending.add(hex)
      if (frames.add('chunk', id, block)) await emit()
    }
    builder.chunk(block.length, idFromBytes(id))
  }
  await emit()
  return builder.finish().id
}

const WHO = { name: 'Test', email: 'test@example.com', time: 1700000000, tzOffset: 0 }

/** Commits a bundle of files (name -> content) with the given parents; returns the commit id. */
export async function commitFiles(store: ObjectStore, files: Record<string, Buffer>, parents: ObjectId[] = [], message = 'test\n', chunk = CHUNK): Promise<ObjectId> {
  const entries: VmEntry[] = []
  for (const [name, content] of Object.entries(files)) entries.push({ name, type: 'file', mode: 0o644, size: content.length, id: await storeFile(store, content, chunk) })
  const tree = store.put('vm', encodeVmTree({ entries }))
  const id = store.put('commit', encodeCommit({ tree, parents, author: WHO, committer: WHO, message }))
  await store.flush()
  return id
}

export async function tagObject(store: ObjectStore, target: ObjectId, name: string): Promise<ObjectId> {
  const id = store.put('tag', encodeTag({ object: target, type: 'commit', name, tagger: WHO, message: `tag ${name}\n` }))
  await store.flush()
  return id
}

/** The bytes of every file of a commit, rebuilt from the store (holes as zeros). */
export async function readFiles(store: ObjectStore, commit: ObjectId): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {}
  const files = await readBundleFiles(store, (await readCommit(store, commit)).tree)
  for (const [name, f] of files) {
    const buf = Buffer.alloc(f.size)
    for await (const e of fileExtents(store, f.id)) if (e.kind === 'chunk') (await store.get(e.id)).body.copy(buf, e.offset)
    out[name] = buf
  }
  return out
}

export async function setRef(refs: RefStore, name: string, id: ObjectId): Promise<void> {
  await refs.update([{ name: name as never, next: id }])
}

/** Every metadata object reachable from roots (commits with their history). */
export async function metadataOf(store: ObjectStore, roots: ObjectId[]): Promise<Set<string>> {
  const out = new Set<string>()
  for (const root of roots) {
    const { kind } = await store.get(root)
    for await (const r of walkReachable(store, [{ id: root, kind }], { chunks: false })) out.add(r.id)
  }
  return out
}
