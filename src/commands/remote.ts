/**
 * `ankagit remote add|remove|list`: named registry URLs in .ankagit/config, git's form.
 */
import { InvalidArgumentError } from '../errors.js'
import type { Repository } from '../repository.js'
import { isUrl } from './connect.js'

export async function remoteList(o: { repo: Repository }): Promise<Array<{ name: string; url: string }>> {
  return (await o.repo.config.remotes()).sort((a, b) => (a.name < b.name ? -1 : 1))
}

export async function remoteAdd(o: { repo: Repository; name: string; url: string }): Promise<void> {
  if (!isUrl(o.url)) throw new InvalidArgumentError(`invalid remote URL '${o.url}': expected http:// or https://`)
  await o.repo.config.addRemote(o.name, o.url)
}

export async function remoteRemove(o: { repo: Repository; name: string }): Promise<void> {
  await o.repo.config.removeRemote(o.name)
  // Its remote-tracking refs go with it, as in git.
  const gone = []
  for await (const [name] of o.repo.refs.list(`refs/remotes/${o.name}/`)) gone.push({ name, next: null })
  if (gone.length) await o.repo.refs.update(gone, { })
}
