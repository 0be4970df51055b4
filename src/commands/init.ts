/**
 * `ankagit init`: makes a VM directory a repository (the VM files stay where they are).
 */
import * as path from 'node:path'
import { type Repository, initRepository } from '../repository.js'

export interface InitResult {
  dir: string
  gitdir: string
  store: string
  repo: Repository
}

export async function init(o: { dir: string; sharedStore?: string; initialBranch?: string }): Promise<InitResult> {
  const repo = await initRepository(o)
  const store = (await repo.config.get('store.path')) ?? path.join(repo.gitdir, 'objects')
  return { dir: repo.dir, gitdir: repo.gitdir, store, repo }
}
