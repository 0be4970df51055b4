/**
 * FileRefStore: git's loose-ref layout under one directory: HEAD, refs/<name> holding
 * "<64-hex id>\n", logs/<name> (reflog.ts). Compare-and-swap comes from lock files (lock-file.ts).
 *
 * A transaction locks every ref it changes in name order (HEAD first when it names HEAD), reads
 * and checks every expect, writes each new value to a staging file beside its ref and fsyncs it,
 * renames each over its ref, fsyncs the directories, appends the reflogs and releases the locks.
 * Readers see a ref's old or new value, never part of one. The lock file keeps its owner record
 * for its whole life (git renames the lock itself over the ref; here the value goes through a
 * separate staging file so that a lock is always one whose owner can be judged). Across refs the
 * renames are not atomic, as in git: a reader may see some refs of a batch changed before others,
 * and a rename that fails midway is rolled back best effort.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { CorruptObjectError, InvalidArgumentError, fromFsError, throwIfAborted } from '../errors.js'
import { type ObjectId, isObjectId } from '../objects/id.js'
import type { AbortOptions } from '../options.js'
import { syncDir } from '../store/local.js'
import { LockFile } from './lock-file.js'
import { type RefName, isValidRefName, parseRefName, quoteRefName } from './ref-name.js'
import { type HeadValue, INITIAL_BRANCH, type ReflogEntry, type RefStore, type RefStoreOptions, type RefUpdate } from './ref-store.js'
import { type PlannedUpdate, checkAllExpected, checkHeadValue, planRefUpdates, validateUpdates } from './ref-update-plan.js'
import { defaultWho, encodeReflogEntry, parseReflog } from './reflog.js'
import { listRefFiles, pruneEmptyDirs } from './ref-files.js'
import { crashPoint } from '../crash-points.js'

export interface FileRefStoreOptions extends RefStoreOptions {
  /** How long a writer waits for a lock held by a live process; default DEFAULT_LOCK_TIMEOUT_MS. */
  lockTimeoutMs?: number
}

const ID_LINE = /^([0-9a-f]{64})\n$/

export class FileRefStore implements RefStore {
  private readonly who: string
  private readonly now: () => number

  constructor(readonly dir: string, private readonly opts: FileRefStoreOptions = {}) {
    this.who = opts.who ?? defaultWho()
    this.now = opts.now ?? Date.now
  }

  async read(name: RefName, opts?: AbortOptions): Promise<ObjectId | undefined> {
    throwIfAborted(opts?.signal)
    if (parseRefName(name) !== 'HEAD') return this.readRef(name)
    return (await this.resolveHead(await this.readHead())) ?? undefined
  }

  async *list(prefix = '', opts?: AbortOptions): AsyncIterable<[RefName, ObjectId]> {
    if (typeof prefix !== 'string') throw new InvalidArgumentError('ref prefix must be a string')
    for await (const name of listRefFiles(path.join(this.dir, 'refs'), 'refs', prefix)) {
      throwIfAborted(opts?.signal)
      if (!isValidRefName(name)) continue // a stray file put there by hand is not a ref
      const id = await this.readRef(name)
      if (id !== undefined) yield [name, id]
    }
  }

  async readHead(opts?: AbortOptions): Promise<HeadValue> {
    throwIfAborted(opts?.signal)
    const text = await readText(path.join(this.dir, 'HEAD'))
    if (text === undefined) return { symbolic: INITIAL_BRANCH }
    const id = ID_LINE.exec(text)?.[1]
    if (id !== undefined) return { id: id as ObjectId }
    const target = /^ref: (.*)\n$/.exec(text)?.[1]
    if (target !== undefined && isValidRefName(target) && target.startsWith('refs/heads/')) return { symbolic: target }
    throw new CorruptObjectError(`HEAD in '${this.dir}' is corrupt: neither an id nor a branch`, { dir: this.dir })
  }

  async writeHead(head: HeadValue, opts: AbortOptions & { message?: string } = {}): Promise<void> {
    throwIfAborted(opts.signal)
    checkHeadValue(head)
    const lock = await this.lock('HEAD', opts)
    try {
      const old = await this.resolveHead(await this.readHead())
      const content = 'symbolic' in head ? `ref: ${head.symbolic}\n` : `${head.id}\n`
      throwIfAborted(opts.signal)
      await this.stageAndRename('HEAD', content)
      const next = await this.resolveHead(head)
      await this.appendLog('HEAD', { old, next, who: this.who, time: this.now(), message: opts.message ?? '' })
    } finally {
      await lock.release()
    }
  }

  async reflog(name: RefName | 'HEAD', opts?: AbortOptions): Promise<ReflogEntry[]> {
    throwIfAborted(opts?.signal)
    parseRefName(name)
    const text = await readText(this.logPath(name))
    return text === undefined ? [] : parseReflog(text, name)
  }

  async update(updates: readonly RefUpdate[], opts?: AbortOptions): Promise<void> {
    throwIfAborted(opts?.signal)
    validateUpdates(updates)
    if (updates.length === 0) return
    const locks = new Map<string, LockFile>()
    const staged: string[] = []
    const prune: string[] = []
    try {
      if (updates.some((u) => u.name === 'HEAD')) locks.set('HEAD', await this.lock('HEAD', opts))
      const head = await this.readHead()
      const plan = planRefUpdates(updates, head)
      for (const p of plan) {
        if (!locks.has(p.name)) locks.set(p.name, await this.lockRef(p, opts))
      }
      const current = new Map<string, ObjectId | undefined>()
      for (const p of plan) current.set(p.name, p.name === 'HEAD' && 'id' in head ? head.id : await this.readRef(p.name))
      checkAllExpected(plan, current)
      const changes = plan.filter((p) => (current.get(p.name) ?? null) !== p.next)
      for (const c of changes) {
        if (c.next === null) continue
        staged.push(this.stagePath(c.name))
        await this.stage(c.name, `${c.next}\n`)
      }
      throwIfAborted(opts?.signal)
      crashPoint('ref-staged')
      await this.commit(changes, current)
      crashPoint('ref-renamed')
      await this.logChanges(changes, current, prune)
    } finally {
      for (const file of staged) await fs.promises.rm(file, { force: true }).catch(() => {})
      for (const [name, lock] of locks) {
        await lock.release()
        if (lock.createdDir !== undefined) prune.push(name)
      }
      for (const name of prune) await pruneEmptyDirs(this.dir, name)
    }
  }

  private async commit(changes: readonly PlannedUpdate[], current: ReadonlyMap<string, ObjectId | undefined>): Promise<void> {
    const applied: PlannedUpdate[] = []
    try {
      for (const c of changes) {
        if (c.next === null) await fs.promises.rm(this.refPath(c.name), { force: true })
        else await fs.promises.rename(this.stagePath(c.name), this.refPath(c.name))
        applied.push(c)
      }
      for (const dir of new Set(changes.map((c) => path.dirname(this.refPath(c.name))))) await syncDir(dir)
    } catch (err) {
      // Put back what already moved, so a failed batch changes nothing as far as this can manage.
      for (const c of applied.reverse()) {
        const old = current.get(c.name)
        const undo = old === undefined ? fs.promises.rm(this.refPath(c.name), { force: true }) : this.stageAndRename(c.name, `${old}\n`)
        await undo.catch(() => {})
      }
      throw fromFsError(err, `ref ${quoteRefName(applied[applied.length - 1]?.name ?? changes[0]!.name)}`)
    }
  }

  // Reflogs are appended after the refs are durable and are not fsynced: the ref file is the truth,
  // and git's default (core.fsync without "reference" logs) makes the same trade.
  private async logChanges(changes: readonly PlannedUpdate[], current: ReadonlyMap<string, ObjectId | undefined>, prune: string[]): Promise<void> {
    const time = this.now()
    for (const c of changes) {
      const entry: ReflogEntry = { old: current.get(c.name) ?? null, next: c.next, who: this.who, time, message: c.message }
      if (c.next === null) {
        await fs.promises.rm(this.logPath(c.name), { force: true })
        prune.push(c.name, `logs/${c.name}`)
      } else {
        await this.appendLog(c.name, entry)
      }
      if (c.logHead) await this.appendLog('HEAD', entry)
    }
  }

  private async lockRef(p: PlannedUpdate, opts?: AbortOptions): Promise<LockFile> {
    let lock: LockFile
    try {
      lock = await this.lock(p.name, opts)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTDIR' || code === 'EEXIST') throw await this.collision(p.name)
      throw err
    }
    if (p.next !== null && (await isNonEmptyDir(this.refPath(p.name)))) {
      await lock.release()
      throw new InvalidArgumentError(`ref ${quoteRefName(p.name)} conflicts with existing refs under '${p.name}/'`, { name: p.name, conflictsWith: `${p.name}/` })
    }
    return lock
  }

  private lock(name: RefName | 'HEAD', opts?: AbortOptions): Promise<LockFile> {
    return LockFile.acquire(this.refPath(name), { timeoutMs: this.opts.lockTimeoutMs, signal: opts?.signal, what: `ref '${name}'` })
  }

  private async collision(name: string): Promise<Error> {
    const parts = name.split('/')
    for (let i = 2; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/')
      const st = await fs.promises.lstat(path.join(this.dir, ...parts.slice(0, i))).catch(() => undefined)
      if (st?.isFile()) return new InvalidArgumentError(`ref ${quoteRefName(name)} conflicts with existing ref ${quoteRefName(prefix)}`, { name, conflictsWith: prefix })
    }
    return new InvalidArgumentError(`ref ${quoteRefName(name)} conflicts with a file in '${this.dir}'`, { name })
  }

  private async readRef(name: string): Promise<ObjectId | undefined> {
    const text = await readText(this.refPath(name))
    if (text === undefined) return undefined
    const id = ID_LINE.exec(text)?.[1]
    if (id === undefined || !isObjectId(id)) throw new CorruptObjectError(`ref ${quoteRefName(name)} is corrupt: expected one id line`, { name })
    return id
  }

  private async resolveHead(head: HeadValue): Promise<ObjectId | null> {
    return 'id' in head ? head.id : ((await this.readRef(head.symbolic)) ?? null)
  }

  private async stage(name: string, content: string): Promise<void> {
    const fh = await fs.promises.open(this.stagePath(name), 'w', 0o644)
    try {
      await fh.writeFile(content)
      await fh.sync()
    } finally {
      await fh.close()
    }
  }

  private async stageAndRename(name: string, content: string): Promise<void> {
    await this.stage(name, content)
    await fs.promises.rename(this.stagePath(name), this.refPath(name))
    await syncDir(path.dirname(this.refPath(name)))
  }

  async expireReflog(name: RefName | 'HEAD', before: number, opts?: AbortOptions): Promise<number> {
    parseRefName(name)
    const file = this.logPath(name)
    const text = await readText(file)
    if (text === undefined) return 0
    const entries = parseReflog(text, name) // newest first
    const keep = entries.filter((e) => e.time >= before).reverse()
    const dropped = entries.length - keep.length
    if (dropped === 0) return 0
    throwIfAborted(opts?.signal)
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.expire`)
    await fs.promises.writeFile(tmp, keep.map(encodeReflogEntry).join(''))
    await fs.promises.rename(tmp, file)
    return dropped
  }

  private async appendLog(name: string, entry: ReflogEntry): Promise<void> {
    const file = this.logPath(name)
    await fs.promises.mkdir(path.dirname(file), { recursive: true })
    await fs.promises.rmdir(file).catch(() => {}) // an empty directory left where a log now goes
    await fs.promises.appendFile(file, encodeReflogEntry(entry))
  }

  private refPath(name: string): string {
    return path.join(this.dir, ...name.split('/'))
  }

  // A dot-file: no valid ref name starts a component with '.', so it never collides with a ref.
  private stagePath(name: string): string {
    const file = this.refPath(name)
    return path.join(path.dirname(file), `.${path.basename(file)}.new`)
  }

  private logPath(name: string): string {
    return path.join(this.dir, 'logs', ...name.split('/'))
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined
    throw err
  }
}

async function isNonEmptyDir(p: string): Promise<boolean> {
  try {
    await fs.promises.rmdir(p) // an empty directory left behind is simply removed
    return false
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return code === 'ENOTEMPTY' || code === 'EEXIST'
  }
}
