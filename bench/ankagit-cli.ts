/**
 * Runs the built ankagit command line (dist/cli/ankagit.js, the installed bin) as a user would, measured, and names it
 * `ankagit` in the recorded command so the report shows what a user types.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { type MeasuredRun, type MeasuredRunOptions, runMeasured, shellQuote } from './measured-run.js'

export class AnkagitCli {
  readonly mainJs: string

  constructor(readonly repoRoot: string) {
    this.mainJs = path.join(repoRoot, 'dist', 'cli', 'ankagit.js')
    if (!fs.existsSync(this.mainJs)) throw new Error(`ankagit is not built: '${this.mainJs}' is missing (run npm run build)`)
  }

  async run(args: readonly string[], o: MeasuredRunOptions & { cwd: string }): Promise<MeasuredRun> {
    // Executed as the installed `ankagit` is, through its #! line, so the runtime flags it sets apply.
    const r = await runMeasured(this.mainJs, [...args], o)
    return { ...r, command: ['ankagit', ...args].map(shellQuote).join(' ') }
  }

  /** Runs a command that prints one JSON document (--json) and parses it. */
  async json<T>(args: readonly string[], o: MeasuredRunOptions & { cwd: string }): Promise<{ run: MeasuredRun; value: T }> {
    const run = await this.run(args, o)
    try {
      return { run, value: JSON.parse(run.stdout) as T }
    } catch {
      throw new Error(`'${run.command}' printed no JSON: '${run.stdout.slice(0, 200)}'`)
    }
  }

  private commands: Promise<Set<string>> | undefined

  /** Whether this build has a command (push, clone and pull land with the transport work), read from `ankagit --help`. */
  async has(command: string): Promise<boolean> {
    // `ankagit <unknown> --help` prints the top-level help and exits 0, so only the command list tells.
    this.commands ??= runMeasured(process.execPath, [this.mainJs, '--help']).then((r) => {
      const list = r.stdout.slice(r.stdout.indexOf('Commands:'))
      return new Set([...list.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!))
    })
    return (await this.commands).has(command)
  }
}
