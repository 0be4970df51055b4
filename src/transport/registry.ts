/**
 * What a server serves: repositories by name, each with its own refs, all sharing one object store
 * so VMs with common data store and send it once. Implementations: StoreRegistry (src/daemon/registry.ts:
 * a daemon root directory, or an S3 location several daemons share) and MemoryRegistry (tests).
 */
import type { AbortOptions } from '../options.js'
import type { ObjectStore, PutFrameOptions } from '../objects/object-store.js'
import type { FlushOptions } from './store-queue.js'
import type { RefStore } from '../refs/ref-store.js'
import type { CompressedFrame } from '../pack/frame.js'

export interface Registry {
  /** The object store every repository shares; read it directly, write it only through putFrame and flush. */
  readonly objects: ObjectStore
  /** The refs of an existing repository, or undefined when there is none by that name. Throws
   *  InvalidArgumentError for a name that breaks repository-name.ts. */
  open(name: string, opts?: AbortOptions): Promise<RefStore | undefined>
  /** The refs of the repository, created empty (HEAD naming refs/heads/main) if it did not exist.
   *  Safe to call from concurrent requests: all get the same repository. */
  create(name: string, opts?: AbortOptions): Promise<RefStore>
  /** Every repository's name, sorted. */
  list(opts?: AbortOptions): Promise<string[]>
  /** Stores the objects of a verified frame that the store does not hold yet; resolves to how many
   *  were new. Serialized with flush(), like every write to the shared store. With release the
   *  frame's buffer is handed over (ObjectStore.putFrame). */
  putFrame(frame: CompressedFrame, opts?: PutFrameOptions): Promise<number>
  /** Makes every object stored so far durable: when it resolves, every object whose putFrame
   *  resolved before flush was called is in a saved pack. It throws if a pack failed after `since`
   *  (a mark() taken before the caller's first putFrame; default: ever). */
  flush(opts?: FlushOptions): Promise<void>
  /** Where the next putFrame's frames begin, for flush's `since`. */
  mark(): number
}
