/**
 * S3RefStore: refs on S3 by conditional PUT, for several daemon replicas sharing one bucket.
 * Layout under its prefix (one object each):
 *
 *   HEAD                     {"symbolic":"refs/heads/main","w":…} or {"id":…,"w":…}
 *   refs/<name>              {"id":<hex>|null,"w":<token>} (null: a tombstone, the ref is absent)
 *   logs/<name>~<sort key>   one reflog line (reflog.ts); '~' never occurs in a ref name
 *   txn/<sort key>           {"state":"pending"|"committed"|"aborted","w":…} of a multi-ref update
 *
 * Compare-and-swap: a writer reads the object, checks the expect, and PUTs the new value with
 * If-Match: <etag> (If-None-Match: * when there is no object yet). Every value carries a fresh random
 * token `w`, so etags (an MD5 of the bytes on RGW) never repeat after A→B→A, and so a writer whose PUT
 * got a 5xx or lost its connection can re-read and tell whether its own write landed. A 412 or 409
 * means another writer won: re-read and retry or report RefConflictError. Deletion writes a tombstone:
 * RGW (16.2) ignores If-Match on DELETE, so a conditional delete is not available.
 *
 * Multi-ref updates are all or nothing through a transaction record. The writer creates txn/<key>
 * as pending, then marks each ref in name order by CAS with {"id":<old>,"txn":<key>,"next":<new>}, then
 * commits by CAS on the record (pending → committed; this PUT is the single commit point), then
 * rolls the refs forward. A marked ref reads as `next` once its record is committed, as `id` before
 * and if aborted, so readers never see half a batch applied. A writer that meets the mark of a
 * pending record waits; once the record is older than the lease, it aborts it by CAS (exactly one of
 * abort and commit wins), so a writer that died leaves no lock behind for longer than the lease.
 * Limitations: the rule that one ref may not be a directory of another is checked before writing, so
 * two writers racing to create 'refs/x' and 'refs/x/y' may both succeed (both stay readable); and the
 * branch that an update named 'HEAD' applies to is read when the update starts (FileRefStore locks
 * HEAD for that), so a checkout racing a commit may let the commit land on the old branch.
 */
import { randomHex } from '../lazy-crypto.js'
import { CorruptObjectError, InvalidArgumentError, LockedError, RemoteError, throwIfAborted } from '../errors.js'
import { type ObjectId, isObjectId } from '../objects/id.js'
import type { AbortOptions } from '../options.js'
import { retrying } from '../store/retry.js'
import type { ConditionalPut, S3Prefix } from '../store/s3.js'
import { type RefName, isValidRefName, parseRefName, quoteRefName } from './ref-name.js'
import { type HeadValue, INITIAL_BRANCH, type ReflogEntry, type RefStore, type RefStoreOptions, type RefUpdate } from './ref-store.js'
import { type PlannedUpdate, checkAllExpected, checkHeadValue, enclosingName, planRefUpdates, validateUpdates } from './ref-update-plan.js'
import { defaultWho, encodeReflogEntry, parseReflog } from './reflog.js'

export interface S3RefStoreOptions extends RefStoreOptions {
  /** How long an update waits for another writer's pending transaction before LockedError; default
   *  20 s, longer than the lease, so that one call outlasts a writer that died mid-transaction. */
  lockTimeoutMs?: number
  /** Age after which a pending transaction record may be aborted by others; default 15 s. It is judged
   *  by the record's Last-Modified against this machine's clock, so it must exceed clock skew. */
  txnLeaseMs?: number
}

interface RefDoc { id?: ObjectId | null; symbolic?: RefName; w: string; txn?: string; next?: ObjectId | null }
/** An object as read: its etag (undefined when absent), its document and the value it stands for now. */
interface Slot { key: string; etag?: string; doc?: RefDoc; value: ObjectId | null }
type TxnState = 'pending' | 'committed' | 'aborted'
type Attempt = 'done' | 'retry'
interface Mark { slot: Slot; next: ObjectId | null; etag: string }

/** Thrown inside update when a ref carries the mark of a live transaction; update waits and retries. */
class Busy extends Error {}

let sequence = 0

export class S3RefStore implements RefStore {
  private readonly who: string
  private readonly now: () => number
  private readonly lockTimeoutMs: number
  private readonly txnLeaseMs: number

  constructor(readonly objects: S3Prefix, opts: S3RefStoreOptions = {}) {
    this.who = opts.who ?? defaultWho()
    this.now = opts.now ?? Date.now
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 20_000
    this.txnLeaseMs = opts.txnLeaseMs ?? 15_000
  }

  async read(name: RefName, opts?: AbortOptions): Promise<ObjectId | undefined> {
    throwIfAborted(opts?.signal)
    if (parseRefName(name) !== 'HEAD') return (await this.readSlot(name, 'read', opts)).value ?? undefined
    return (await this.resolveHead(await this.readHead(opts), opts)) ?? undefined
  }

  async *list(prefix = '', opts?: AbortOptions): AsyncIterable<[RefName, ObjectId]> {
    if (typeof prefix !== 'string') throw new InvalidArgumentError('ref prefix must be a string')
    throwIfAborted(opts?.signal)
    const names: RefName[] = []
    for await (const key of this.objects.list(prefix.startsWith('refs/') ? prefix : 'refs/', opts)) {
      if (key.startsWith(prefix) && isValidRefName(key) && key !== 'HEAD') names.push(key)
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const values = await mapLimit(names, 16, (n) => this.readSlot(n, 'read', opts))
    for (const [i, name] of names.entries()) {
      throwIfAborted(opts?.signal)
      const id = values[i]!.value
      if (id !== null) yield [name, id]
    }
  }

  async readHead(opts?: AbortOptions): Promise<HeadValue> {
    throwIfAborted(opts?.signal)
    const slot = await this.readSlot('HEAD' as RefName, 'read', opts)
    if (slot.doc?.symbolic !== undefined) return { symbolic: slot.doc.symbolic }
    return slot.value === null ? { symbolic: INITIAL_BRANCH } : { id: slot.value }
  }

  async writeHead(head: HeadValue, opts: AbortOptions & { message?: string } = {}): Promise<void> {
    throwIfAborted(opts.signal)
    checkHeadValue(head)
    const doc: Omit<RefDoc, 'w'> = 'symbolic' in head ? { symbolic: head.symbolic } : { id: head.id }
    const old = await this.untilSettled(async () => {
      const slot = await this.readSlot('HEAD' as RefName, 'write', opts)
      const before = slot.doc?.symbolic !== undefined ? { symbolic: slot.doc.symbolic } : slot.value ? { id: slot.value } : { symbolic: INITIAL_BRANCH }
      const outcome = await this.casWrite(slot, doc, opts)
      return outcome === 'done' ? before : undefined
    }, 'HEAD', opts)
    const entry = { old: await this.resolveHead(old, opts), next: await this.resolveHead(head, opts), who: this.who, time: this.now(), message: opts.message ?? '' }
    await this.appendLogs([['HEAD', entry]], opts)
  }

  async reflog(name: RefName | 'HEAD', opts?: AbortOptions): Promise<ReflogEntry[]> {
    throwIfAborted(opts?.signal)
    parseRefName(name)
    const keys: string[] = []
    for await (const key of this.objects.list(`logs/${name}~`, opts)) keys.push(key)
    keys.sort().reverse()
    const texts = await mapLimit(keys, 16, (k) => this.objects.getVersioned(k, opts))
    return texts.flatMap((t) => (t ? parseReflog(t.body.toString('utf8'), name) : []))
  }

  async expireReflog(name: RefName | 'HEAD', before: number, opts?: AbortOptions): Promise<number> {
    throwIfAborted(opts?.signal)
    parseRefName(name)
    let dropped = 0
    for await (const key of this.objects.list(`logs/${name}~`, opts)) {
      const text = await this.objects.getVersioned(key, opts)
      if (!text) continue
      const entries = parseReflog(text.body.toString('utf8'), name)
      if (entries.length > 0 && entries.every((e) => e.time < before)) {
        await this.objects.delete(key, opts)
        dropped += entries.length
      }
    }
    return dropped
  }

  async update(updates: readonly RefUpdate[], opts?: AbortOptions): Promise<void> {
    throwIfAborted(opts?.signal)
    validateUpdates(updates)
    if (updates.length === 0) return
    await this.untilSettled(async () => {
      const plan = planRefUpdates(updates, await this.readHead(opts))
      const slots = await Promise.all(plan.map((p) => this.readSlot(p.name, 'write', opts)))
      for (const [i, p] of plan.entries()) if (slots[i]!.value === null) await this.checkCollision(p, opts)
      checkAllExpected(plan, new Map(plan.map((p, i) => [p.name, slots[i]!.value ?? undefined])))
      const changes = plan.flatMap((p, i) => (slots[i]!.value === p.next ? [] : [{ p, slot: slots[i]! }]))
      if (changes.length === 0) return true
      // A ref that already holds its `next` but carries an expect joins the transaction unchanged,
      // so that its expect still holds at the commit point.
      const guards = plan.flatMap((p, i) => (slots[i]!.value === p.next && p.expect !== undefined ? [{ p, slot: slots[i]! }] : []))
      const outcome = changes.length + guards.length === 1
        ? await this.casWrite(changes[0]!.slot, { id: changes[0]!.p.next }, opts)
        : await this.transact([...changes, ...guards].sort((a, b) => (a.p.name < b.p.name ? -1 : 1)), opts)
      if (outcome === 'retry') return undefined
      await this.logChanges(changes, opts)
      return true
    }, describeUpdates(updates), opts)
  }

  /** Runs attempt until it returns a value; undefined (a lost race) or Busy retry after a short random wait. */
  private async untilSettled<T>(attempt: () => Promise<T | undefined>, what: string, opts?: AbortOptions): Promise<T> {
    const deadline = Date.now() + this.lockTimeoutMs
    for (let round = 0; ; round++) {
      throwIfAborted(opts?.signal)
      let busy = false
      try {
        const result = await attempt()
        if (result !== undefined) return result
      } catch (err) {
        if (!(err instanceof Busy)) throw err
        busy = true
      }
      if (Date.now() > deadline) {
        throw new LockedError(`ref ${quoteRefName(what)} is ${busy ? 'held by another transaction' : 'contended'}: gave up after ${this.lockTimeoutMs} ms`, { name: what })
      }
      await new Promise((res) => setTimeout(res, Math.random() * Math.min(200, 5 * 2 ** Math.min(round, 6))))
    }
  }

  /** One CAS of one object from the slot's etag: 'done' when this write landed, 'retry' when another did. */
  private async casWrite(slot: Slot, doc: Omit<RefDoc, 'w'>, opts?: AbortOptions): Promise<Attempt> {
    const w = token()
    const cond: ConditionalPut = slot.etag ? { ifMatch: slot.etag } : { ifNoneMatch: '*' }
    const res = await this.objects.putIf(slot.key, encodeDoc({ ...doc, w }), cond, opts)
    if (res.outcome === 'won') return 'done'
    if (res.outcome === 'lost') return 'retry'
    return (await this.landed(slot.key, w, res.error, opts)) ? 'done' : 'retry'
  }

  /** After a 5xx or a dropped connection: did the write carrying token w land? Re-read, never assume. */
  private async landed(key: string, w: string, cause: Error, opts?: AbortOptions): Promise<string | undefined> {
    try {
      const got = await retrying('get', key, () => this.objects.getVersioned(key, opts), { signal: opts?.signal })
      return got && parseDoc(got.body, key).w === w ? got.etag : undefined
    } catch (err) {
      throw new RemoteError(`write of '${key}' in ${this.objects.location} has an unknown outcome: ${cause.message}`, { code: 'EUNKNOWN' }, { cause: err })
    }
  }

  /** The multi-ref protocol in the module comment: record, marks, decision, settling the marks. */
  private async transact(changes: readonly { p: PlannedUpdate; slot: Slot }[], opts?: AbortOptions): Promise<Attempt> {
    const txn = `txn/${sortKey(this.now())}`
    const created = await this.putRecord(txn, 'pending', undefined, opts)
    if (!created) return 'retry'
    const marked: Mark[] = []
    let decided: 'committed' | 'aborted'
    try {
      for (const c of changes) {
        const w = token()
        const cond: ConditionalPut = c.slot.etag ? { ifMatch: c.slot.etag } : { ifNoneMatch: '*' }
        const res = await this.objects.putIf(c.slot.key, encodeDoc({ ...markBase(c.slot), txn, next: c.p.next, w }), cond, opts)
        const etag = res.outcome === 'won' ? res.etag : res.outcome === 'unknown' ? await this.landed(c.slot.key, w, res.error, opts) : undefined
        if (etag === undefined) break // another writer changed this ref since it was read
        marked.push({ slot: c.slot, next: c.p.next, etag })
      }
      decided = await this.decide(txn, marked.length === changes.length ? 'committed' : 'aborted', created)
    } catch (err) {
      // Cancelled or cut off midway: abort, unless the commit landed after all. The record is kept,
      // since a mark whose write had an unknown outcome may still name it.
      const after = await this.decide(txn, 'aborted', created).catch(() => undefined)
      if (after !== undefined) await this.settleMarks(marked, after)
      if (after === 'committed') return 'done'
      throw err
    }
    if (await this.settleMarks(marked, decided)) await this.objects.delete(txn).catch(() => {})
    return decided === 'committed' ? 'done' : 'retry'
  }

  /** Moves the record from pending to `to` without the caller's signal (the decision must be made);
   *  returns the state it ends in, which differs when another writer aborted it first. */
  private async decide(txn: string, to: 'committed' | 'aborted', etag: string): Promise<'committed' | 'aborted'> {
    if ((await this.putRecord(txn, to, etag)) !== undefined) return to
    const got = await retrying('get', txn, () => this.objects.getVersioned(txn))
    return got && parseRecord(got.body, txn) === 'committed' ? 'committed' : 'aborted'
  }

  /** Rewrites each marked ref without its mark, forward or back. True when every mark is known gone. */
  private async settleMarks(marked: readonly Mark[], decided: 'committed' | 'aborted'): Promise<boolean> {
    let clean = true
    for (const m of marked) {
      const doc = { ...markBase(m.slot), ...(decided === 'committed' ? { id: m.next } : {}), w: token() }
      // A 412 means another writer already settled this mark and wrote over it: also clean.
      const res = await this.objects.putIf(m.slot.key, encodeDoc(doc), { ifMatch: m.etag }).catch(() => undefined)
      if (!res || res.outcome === 'unknown') clean = false
    }
    return clean
  }

  /** CAS of a transaction record from the etag it had (create when prev is undefined); its new etag, or undefined when it lost. */
  private async putRecord(key: string, state: TxnState, prev: string | undefined, opts?: AbortOptions): Promise<string | undefined> {
    const w = token()
    const body = Buffer.from(`${JSON.stringify({ state, w })}\n`)
    const res = await this.objects.putIf(key, body, prev ? { ifMatch: prev } : { ifNoneMatch: '*' }, opts)
    if (res.outcome === 'won') return res.etag
    if (res.outcome === 'lost') return undefined
    return this.landed(key, w, res.error, opts)
  }

  /**
   * Reads one ref object and settles a transaction mark on it. For 'read', a mark of an undecided
   * transaction reads as the old value. For 'write', it throws Busy while the transaction is within
   * its lease, and aborts the transaction once the lease has run out.
   */
  private async readSlot(name: RefName, mode: 'read' | 'write', opts?: AbortOptions, retried = false): Promise<Slot> {
    const key = name as string
    const got = await retrying('get', key, () => this.objects.getVersioned(key, opts), { signal: opts?.signal })
    if (!got) return { key, value: null }
    const doc = parseDoc(got.body, key)
    const slot: Slot = { key, etag: got.etag, doc, value: doc.id ?? null }
    if (doc.txn === undefined) return slot
    const state = await this.txnState(doc.txn, mode, opts)
    // A record is deleted only after its marks are settled, so a missing one means the mark is gone
    // by now: read again (once; a record removed by hand leaves its marks meaning the old value).
    if (state === 'missing' && !retried) return this.readSlot(name, mode, opts, true)
    if (state === 'committed') slot.value = doc.next ?? null
    return slot
  }

  private async txnState(txn: string, mode: 'read' | 'write', opts?: AbortOptions): Promise<TxnState | 'missing'> {
    for (;;) {
      const got = await retrying('get', txn, () => this.objects.getVersioned(txn, opts), { signal: opts?.signal })
      if (!got) return 'missing'
      const state = parseRecord(got.body, txn)
      if (state !== 'pending' || mode === 'read') return state === 'committed' ? 'committed' : 'aborted'
      if (Date.now() - got.lastModifiedMs < this.txnLeaseMs) throw new Busy()
      if ((await this.putRecord(txn, 'aborted', got.etag, opts)) !== undefined) return 'aborted'
    }
  }

  // The rule FileRefStore gets from its directory layout: no ref may be a directory of another.
  private async checkCollision(p: PlannedUpdate, opts?: AbortOptions): Promise<void> {
    if (p.name === 'HEAD') return
    const above: string[] = []
    enclosingName(p.name, (prefix) => (above.push(prefix), false))
    const live = await mapLimit(above, 8, async (n) => (await this.readSlot(n as RefName, 'read', opts)).value !== null)
    const hit = above.find((_, i) => live[i])
    if (hit !== undefined) throw new InvalidArgumentError(`ref ${quoteRefName(p.name)} conflicts with existing ref ${quoteRefName(hit)}`, { name: p.name, conflictsWith: hit })
    if (p.next === null) return
    for await (const key of this.objects.list(`${p.name}/`, opts)) {
      if (isValidRefName(key) && (await this.readSlot(key, 'read', opts)).value !== null) {
        throw new InvalidArgumentError(`ref ${quoteRefName(p.name)} conflicts with existing refs under '${p.name}/'`, { name: p.name, conflictsWith: `${p.name}/` })
      }
    }
  }

  private async resolveHead(head: HeadValue, opts?: AbortOptions): Promise<ObjectId | null> {
    return 'id' in head ? head.id : (await this.readSlot(head.symbolic, 'read', opts)).value
  }

  // Reflogs are written after the refs changed, as FileRefStore appends them: the ref is the truth,
  // and a writer that dies in between loses only the log entry.
  private async logChanges(changes: readonly { p: PlannedUpdate; slot: Slot }[], opts?: AbortOptions): Promise<void> {
    const time = this.now()
    const entries: [string, ReflogEntry][] = []
    for (const { p, slot } of changes) {
      const entry: ReflogEntry = { old: slot.value, next: p.next, who: this.who, time, message: p.message }
      if (p.next === null) {
        const keys: string[] = []
        for await (const key of this.objects.list(`logs/${p.name}~`, opts)) keys.push(key)
        await mapLimit(keys, 16, (k) => this.objects.delete(k, opts))
      } else {
        entries.push([p.name, entry])
      }
      if (p.logHead) entries.push(['HEAD', entry])
    }
    await this.appendLogs(entries, opts)
  }

  private async appendLogs(entries: readonly [string, ReflogEntry][], opts?: AbortOptions): Promise<void> {
    await mapLimit(entries, 8, ([name, entry]) => {
      const key = `logs/${name}~${sortKey(entry.time)}`
      return retrying('put', key, () => this.objects.put(key, Buffer.from(encodeReflogEntry(entry)), opts), { signal: opts?.signal })
    })
  }
}

/** What a rewrite of a slot keeps from its document: HEAD's symbolic target, or the old id. */
function markBase(slot: Slot): Omit<RefDoc, 'w'> {
  return slot.doc?.symbolic !== undefined ? { symbolic: slot.doc.symbolic } : { id: slot.value }
}

function describeUpdates(updates: readonly RefUpdate[]): string {
  return updates.length === 1 ? updates[0]!.name : `${updates[0]!.name} (and ${updates.length - 1} more)`
}

function encodeDoc(doc: RefDoc): Buffer {
  return Buffer.from(`${JSON.stringify(doc)}\n`)
}

function parseDoc(body: Buffer, key: string): RefDoc {
  let doc: RefDoc
  try {
    doc = JSON.parse(body.toString('utf8')) as RefDoc
  } catch {
    throw new CorruptObjectError(`ref object '${key}' is corrupt: not JSON`, { name: key })
  }
  const idOk = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && isObjectId(v))
  const ok = doc !== null && typeof doc === 'object' && typeof doc.w === 'string' && idOk(doc.id) && idOk(doc.next) &&
    (doc.txn === undefined || (typeof doc.txn === 'string' && doc.txn.startsWith('txn/'))) &&
    (doc.symbolic === undefined || (key === 'HEAD' && isValidRefName(doc.symbolic) && doc.symbolic.startsWith('refs/heads/')))
  if (!ok) throw new CorruptObjectError(`ref object '${key}' is corrupt: unexpected fields or values`, { name: key })
  return doc
}

function parseRecord(body: Buffer, key: string): TxnState {
  try {
    const state = (JSON.parse(body.toString('utf8')) as { state?: unknown }).state
    if (state === 'pending' || state === 'committed' || state === 'aborted') return state
  } catch {
    // reported below
  }
  throw new CorruptObjectError(`transaction record '${key}' is corrupt`, { name: key })
}

function token(): string {
  return randomHex(8)
}

/** Sorts by time, then by order within this process, then at random across processes. */
function sortKey(time: number): string {
  sequence = (sequence + 1) % 1e9
  return `${String(Math.trunc(time)).padStart(15, '0')}.${String(sequence).padStart(9, '0')}.${randomHex(3)}`
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}
