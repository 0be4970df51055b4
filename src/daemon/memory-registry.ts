/**
 * MemoryRegistry: a real Registry held in memory (MemoryBackend store, MemoryRefStore refs), with
 * DirectoryRegistry's rules for names and creation, for tests of the server and of clients.
 */
import type { AbortOptions } from '../options.js'
import { throwIfAborted } from '../errors.js'
import { ObjectStore } from '../objects/object-store.js'
import type { CompressedFrame } from '../pack/frame.js'
import { MemoryBackend } from '../store/memory.js'
import { MemoryRefStore } from '../refs/memory-ref-store.js'
import type { Registry } from '../transport/registry.js'
import { StoreQueue } from '../transport/store-queue.js'
import { checkRepositoryName } from '../transport/repository-name.js'

export class MemoryRegistry implements Registry {
  readonly objects: ObjectStore
  private readonly queue: StoreQueue
  private readonly repos = new Map<string, MemoryRefStore>()

  constructor(objects = new ObjectStore(new MemoryBackend())) {
    this.objects = objects
    this.queue = new StoreQueue(objects)
  }

  async open(name: string, opts?: AbortOptions): Promise<MemoryRefStore | undefined> {
    throwIfAborted(opts?.signal)
    return this.repos.get(checkRepositoryName(name))
  }

  async create(name: string, opts?: AbortOptions): Promise<MemoryRefStore> {
    throwIfAborted(opts?.signal)
    // No await between the check and the insert: concurrent first pushes share one repository.
    let refs = this.repos.get(checkRepositoryName(name))
    if (!refs) this.repos.set(name, (refs = new MemoryRefStore({ who: 'ankagit-daemon' })))
    return refs
  }

  async list(opts?: AbortOptions): Promise<string[]> {
    throwIfAborted(opts?.signal)
    return [...this.repos.keys()].sort()
  }

  putFrame(frame: CompressedFrame, opts?: AbortOptions): Promise<number> {
    return this.queue.putFrame(frame, opts)
  }

  flush(opts?: AbortOptions): Promise<void> {
    return this.queue.flush(opts)
  }
}
