/**
 * MemoryRegistry: a real Registry held in memory (MemoryBackend store, MemoryRefStore refs), with
 * the same rules for names and creation as the daemon's registries, for tests of the server and
 * of clients.
 */
import type { AbortOptions } from '../options.js'
import { throwIfAborted } from '../errors.js'
import { ObjectStore } from '../objects/object-store.js'
import { MemoryBackend } from '../store/memory.js'
import { MemoryRefStore } from '../refs/memory-ref-store.js'
import { StoreRegistry } from './registry.js'
import { DAEMON_WHO, type Repositories } from './repositories.js'

export class MemoryRepositories implements Repositories {
  readonly location = 'memory'
  private readonly repos = new Map<string, MemoryRefStore>()

  async open(name: string, opts?: AbortOptions): Promise<MemoryRefStore | undefined> {
    throwIfAborted(opts?.signal)
    return this.repos.get(name)
  }

  async create(name: string, opts?: AbortOptions): Promise<MemoryRefStore> {
    throwIfAborted(opts?.signal)
    // No await between the check and the insert: concurrent first pushes share one repository.
    let refs = this.repos.get(name)
    if (!refs) this.repos.set(name, (refs = new MemoryRefStore({ who: DAEMON_WHO })))
    return refs
  }

  async list(opts?: AbortOptions): Promise<string[]> {
    throwIfAborted(opts?.signal)
    return [...this.repos.keys()].sort()
  }
}

export class MemoryRegistry extends StoreRegistry {
  constructor(objects = new ObjectStore(new MemoryBackend())) {
    super(objects, new MemoryRepositories())
  }
}
