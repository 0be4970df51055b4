/**
 * Who is committing or tagging: ANKAGIT_AUTHOR_NAME / ANKAGIT_AUTHOR_EMAIL, then user.name / user.email
 * from the repository config, then the login name at this host (git's order, without a global config).
 */
import * as os from 'node:os'
import type { Repository } from '../repository.js'
import { type Signature, currentSignature } from '../objects/signature.js'

export async function identity(repo: Repository, env: NodeJS.ProcessEnv = process.env, now = new Date()): Promise<Signature> {
  let login = 'ankagit'
  try {
    login = os.userInfo().username
  } catch {
    // No passwd entry (some containers): keep the neutral default.
  }
  const name = env.ANKAGIT_AUTHOR_NAME ?? (await repo.config.get('user.name')) ?? login
  const email = env.ANKAGIT_AUTHOR_EMAIL ?? (await repo.config.get('user.email')) ?? `${login}@${os.hostname()}`
  const time = env.ANKAGIT_AUTHOR_DATE ? new Date(Number(env.ANKAGIT_AUTHOR_DATE) * 1000) : now
  return currentSignature(name, email, time)
}
