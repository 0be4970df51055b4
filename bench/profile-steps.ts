/**
 * With --profile, the OS-update case ends by profiling ankagit's slow steps on its v1 copy: commit of
 * the new VM, a commit with nothing changed, and a checkout into an emptied folder.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { bundleFiles } from './bundle-facts.js'
import type { BenchContext } from './context.js'
import { type ProfileSummary, profileAnkagit } from './cpu-profile.js'

export async function profileSlowSteps(ctx: BenchContext, dir: string): Promise<ProfileSummary[]> {
  const { cli } = ctx
  const profileDir = path.join(ctx.work, 'profiles')
  const run = (label: string, args: string[], okCodes?: number[]) => profileAnkagit(cli, { label, args, cwd: dir, profileDir, repoRoot: cli.repoRoot, okCodes })
  ctx.log('profiling commit, no-op commit and checkout with node --cpu-prof')
  fs.rmSync(path.join(dir, '.ankagit'), { recursive: true, force: true })
  await cli.run(['init', '-q'], { cwd: dir })
  const out = [await run('commit of a new VM', ['commit', '-q', '-m', 'v1'])]
  out.push(await run('commit with nothing changed', ['commit', '-q', '-m', 'again'], [1]))
  for (const f of bundleFiles(dir)) fs.rmSync(path.join(dir, f))
  out.push(await run('checkout into an emptied folder', ['checkout', '-q', '--force', 'main']))
  fs.rmSync(profileDir, { recursive: true, force: true })
  return out
}
