/**
 * The repositories registered as users of a shared object store (`<store>/users/<hash>`, one file
 * per repository naming its .ankagit directory; init writes it, see src/repository.ts and FORMAT.md).
 * gc must keep whatever any of them reaches, so unlike a plain listing this one also returns users
 * whose directory is gone: gc refuses to guess whether such a repository was deleted or only moved
 * or unmounted, because guessing wrong would delete its objects.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { STORE_USERS_DIR } from '../repository.js'

export interface StoreUser {
  /** The registry file, relative to the store, e.g. "users/3fa9...". */
  file: string
  /** The user's .ankagit directory, as registered. */
  gitdir: string
  /** Whether that directory still holds a repository (a HEAD file). */
  exists: boolean
}

export function registeredUsers(store: string): StoreUser[] {
  const dir = path.join(store, STORE_USERS_DIR)
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const out: StoreUser[] = []
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue
    const gitdir = fs.readFileSync(path.join(dir, name), 'utf8').trim()
    if (gitdir === '') continue
    out.push({ file: `${STORE_USERS_DIR}/${name}`, gitdir, exists: fs.existsSync(path.join(gitdir, 'HEAD')) })
  }
  return out
}
