/**
 * The CHECKOUT marker: written before a checkout changes any file and removed after the index is
 * saved, so an interrupted checkout can never pass for a complete VM (status reports it, commit
 * refuses to record it).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Repository } from '../repository.js'
import type { ObjectId } from '../objects/id.js'
import { isObjectId } from '../objects/id.js'

const MARKER = 'CHECKOUT'

export function checkoutInProgress(repo: Repository): ObjectId | undefined {
  try {
    const text = fs.readFileSync(path.join(repo.gitdir, MARKER), 'utf8').trim()
    return isObjectId(text) ? text : ('0'.repeat(64) as ObjectId)
  } catch {
    return undefined
  }
}

export function markCheckout(repo: Repository, target: ObjectId): void {
  const file = path.join(repo.gitdir, MARKER)
  const fd = fs.openSync(file, 'w')
  try {
    fs.writeSync(fd, target + '\n')
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

export function clearCheckout(repo: Repository): void {
  fs.rmSync(path.join(repo.gitdir, MARKER), { force: true })
}
