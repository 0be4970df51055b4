/**
 * Text forms of transfer results, git-like: one line per ref, then what crossed the wire.
 */
import { formatBytes } from './io.js'
import type { FetchResult } from '../transport/fetch-pack.js'
import type { PushResult } from '../transport/push-refs.js'

const short = (name: string) => name.replace(/^refs\/(heads|tags|remotes)\//, '')

export function formatFetch(r: FetchResult, url: string): string[] {
  const lines: string[] = []
  const changed = r.refs.filter((c) => c.status !== 'up-to-date')
  if (changed.length) lines.push(`From ${url}`)
  for (const c of changed) {
    const what = c.status === 'new' ? (c.local.startsWith('refs/tags/') ? '[new tag]' : '[new branch]') : c.status === 'rejected' ? `! [rejected] (${c.reason})` : c.status === 'forced' ? '+ forced' : `${c.old?.slice(0, 12)}..${c.new.slice(0, 12)}`
    lines.push(` ${what.padEnd(28)} ${short(c.remote)} -> ${short(c.local)}`)
  }
  const verb = r.dryRun ? 'would receive' : 'received'
  lines.push(`${verb} ${r.metadata.objects + r.chunks.objects} objects, ${formatBytes(r.stats.bytesReceived)} in ${r.stats.requests} requests (${r.chunks.objects} chunks, ${formatBytes(r.chunks.rawBytes)} of new data)`)
  return lines
}

export function formatPush(r: PushResult, url: string): string[] {
  const lines = [`To ${url}`]
  for (const p of r.refs) {
    const what =
      p.status === 'created' ? (p.name.startsWith('refs/tags/') ? '* [new tag]' : '* [new branch]')
      : p.status === 'deleted' ? '- [deleted]'
      : p.status === 'rejected' ? `! [rejected] (${p.reason})`
      : p.status === 'up-to-date' ? '= [up to date]'
      : p.status === 'forced' ? `+ ${p.old?.slice(0, 12)}...${p.new?.slice(0, 12)} (forced)`
      : `  ${p.old?.slice(0, 12)}..${p.new?.slice(0, 12)}`
    lines.push(` ${what.padEnd(30)} ${short(p.name)}`)
  }
  const s = r.sent
  const verb = r.dryRun ? 'would send' : 'sent'
  lines.push(`${verb} ${s.metadataObjects + s.chunkObjects} objects, ${formatBytes(s.bytes)} (${s.chunkObjects} chunks, ${formatBytes(s.rawBytes)} of new data) in ${r.stats.requests} requests`)
  return lines
}
