/**
 * MemoryRefStore: a real RefStore held in maps, with FileRefStore's semantics (same validation,
 * compare-and-swap, HEAD handling, directory/file collisions, reflogs), for unit tests and as the
 * reference behaviour of the contract. A transaction runs without an await between its checks and
 * its changes, so concurrent callers in one process serialise exactly as they would under locks.
 */
import { InvalidArgumentError, throwIfAborted } from '../errors.js'
import type { ObjectId } from '../objects/id.js'
import type { AbortOptions } from '../options.js'
import { type RefName, parseRefName, quoteRefName } from './ref-name.js'
import { type HeadValue, INITIAL_BRANCH, type ReflogEntry, type RefStore, type RefStoreOptions, type RefUpdate } from './ref-store.js'
import { type PlannedUpdate, checkAllExpected, checkHeadValue, enclosingName, planRefUpdates, validateUpdates } from './ref-update-plan.js'
import { cleanReflogEntry, defaultWho } from './reflog.js'

export class MemoryRefStore implements RefStore {
  private readonly refs = new Map<string, ObjectId>()
  /** Oldest first, as a file reflog is appended. */
  private readonly logs = new Map<string, ReflogEntry[]>()
  private head: HeadValue = { symbolic: INITIAL_BRANCH }
  private readonly who: string
  private readonly now: () => number

  constructor(opts: RefStoreOptions = {}) {
    this.who = opts.who ?? defaultWho()
    this.now = opts.now ?? Date.now
  }

  async read(name: RefName, opts?: AbortOptions): Promise<ObjectId | undefined> {
    throwIfAborted(opts?.signal)
    if (parseRefName(name) !== 'HEAD') return this.refs.get(name)
    return this.resolveHead(this.head) ?? undefined
  }

  async *list(prefix = '', opts?: AbortOptions): AsyncIterable<[RefName, ObjectId]> {
    if (typeof prefix !== 'string') throw new InvalidArgumentError('ref prefix must be a string')
    const names = [...this.refs.keys()].filter((n) => n.startsWith(prefix)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    for (const name of names) {
      throwIfAborted(opts?.signal)
      const id = this.refs.get(name)
      if (id !== undefined) yield [name as RefName, id]
    }
  }

  async readHead(opts?: AbortOptions): Promise<HeadValue> {
    throwIfAborted(opts?.signal)
    return { ...this.head }
  }

  async writeHead(head: HeadValue, opts: AbortOptions & { message?: string } = {}): Promise<void> {
    throwIfAborted(opts.signal)
    checkHeadValue(head)
    const old = this.resolveHead(this.head)
    this.head = 'symbolic' in head ? { symbolic: head.symbolic } : { id: head.id }
    this.appendLog('HEAD', { old, next: this.resolveHead(this.head), who: this.who, time: this.now(), message: opts.message ?? '' })
  }

  async reflog(name: RefName | 'HEAD', opts?: AbortOptions): Promise<ReflogEntry[]> {
    throwIfAborted(opts?.signal)
    parseRefName(name)
    return (this.logs.get(name) ?? []).map((e) => ({ ...e })).reverse()
  }

  async expireReflog(name: RefName | 'HEAD', before: number, opts?: AbortOptions): Promise<number> {
    throwIfAborted(opts?.signal)
    parseRefName(name)
    const log = this.logs.get(name) ?? []
    const keep = log.filter((e) => e.time >= before)
    this.logs.set(name, keep)
    return log.length - keep.length
  }

  async update(updates: readonly RefUpdate[], opts?: AbortOptions): Promise<void> {
    throwIfAborted(opts?.signal)
    validateUpdates(updates)
    if (updates.length === 0) return
    const plan = planRefUpdates(updates, this.head)
    for (const p of plan) this.checkCollision(p)
    const current = new Map<string, ObjectId | undefined>()
    for (const p of plan) current.set(p.name, this.valueOf(p.name))
    checkAllExpected(plan, current)
    const time = this.now()
    for (const p of plan) {
      const old = current.get(p.name) ?? null
      if (old === p.next) continue
      this.setValue(p.name, p.next)
      const entry: ReflogEntry = { old, next: p.next, who: this.who, time, message: p.message }
      if (p.next === null) this.logs.delete(p.name)
      else this.appendLog(p.name, entry)
      if (p.logHead) this.appendLog('HEAD', entry)
    }
  }

  // The same names FileRefStore refuses, where a file and a directory would need one path.
  private checkCollision(p: PlannedUpdate): void {
    if (p.name === 'HEAD') return
    const above = enclosingName(p.name, (prefix) => this.refs.has(prefix))
    if (above !== undefined) {
      throw new InvalidArgumentError(`ref ${quoteRefName(p.name)} conflicts with existing ref ${quoteRefName(above)}`, { name: p.name, conflictsWith: above })
    }
    if (p.next !== null && [...this.refs.keys()].some((k) => k.startsWith(`${p.name}/`))) {
      throw new InvalidArgumentError(`ref ${quoteRefName(p.name)} conflicts with existing refs under '${p.name}/'`, { name: p.name, conflictsWith: `${p.name}/` })
    }
  }

  private valueOf(name: string): ObjectId | undefined {
    if (name === 'HEAD') return 'id' in this.head ? this.head.id : undefined
    return this.refs.get(name)
  }

  private setValue(name: string, next: ObjectId | null): void {
    if (name === 'HEAD') {
      if (next !== null) this.head = { id: next }
    } else if (next === null) {
      this.refs.delete(name)
    } else {
      this.refs.set(name, next)
    }
  }

  private resolveHead(head: HeadValue): ObjectId | null {
    return 'id' in head ? head.id : (this.refs.get(head.symbolic) ?? null)
  }

  private appendLog(name: string, entry: ReflogEntry): void {
    const clean = cleanReflogEntry(entry)
    const log = this.logs.get(name)
    if (log) log.push(clean)
    else this.logs.set(name, [clean])
  }
}
