/**
 * `ankagit init`: makes a VM directory a repository (the VM files stay where they are).
 */
import { type Repository, initRepository, storeDir } from '../repository.js'

export interface InitResult {
  dir: string
  gitdir: string
  store: string
  repo: Repository
}

export async function init(o: { dir: string; sharedStore?: string; initialBranch?: string }): Promise<InitResult> {
  const repo = await initRepository(o)
  const store = storeDir(repo.gitdir)
  return { dir: repo.dir, gitdir: repo.gitdir, store, repo }
}
