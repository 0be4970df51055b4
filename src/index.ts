/**
 * The ankagit library: one function per command, plus the models and stores they work on.
 * Every function takes one options object (with optional `signal` and `onProgress`), returns data,
 * and throws AnkagitError subclasses; nothing here prints or exits.
 */
export { initRepository, openRepository, type Repository } from './repository.js'
export { init } from './commands/init.js'
export { commit, type CommitOptions, type CommitResult } from './commands/commit.js'
export { status, type StatusResult } from './commands/status.js'
export { checkout, type CheckoutOptions, type CheckoutResult } from './commands/checkout.js'
export { log, type LogEntry, type LogOptions } from './commands/log.js'
export { diff, type DiffOptions, type DiffResult, type FileDiff } from './commands/diff.js'
export { resolve as revParse, resolveCommitish } from './commands/revision.js'

export * from './errors.js'
export type { AbortOptions, ProgressEvent, ProgressOptions } from './options.js'
export type { ObjectId, ObjectKind } from './objects/id.js'
export type { Commit } from './objects/commit.js'
export type { Tag } from './objects/tag.js'
export type { VmTree, VmEntry } from './objects/vm-tree.js'
export type { FileNode, FileEntry } from './objects/file-tree.js'
export { ObjectStore, type ObjectSource, type RawObject } from './objects/object-store.js'
export type { Backend, BackendStat } from './store/backend.js'
export { LocalBackend } from './store/local.js'
export { MemoryBackend } from './store/memory.js'
export type { RefStore, RefUpdate } from './refs/ref-store.js'
