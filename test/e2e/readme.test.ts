/**
 * The newcomer test: the README's "Try it" commands, extracted from README.md itself (every ```sh
 * block right after a `<!-- newcomer-test` comment), run in order as one bash script, as written, from
 * the top of the clone, with `ankagit` on PATH (a shim to the built CLI, as `npm link` gives), HOME in a
 * temp folder (so `~/vms/...` lands there) and a daemon this test starts: the README's registry
 * address (127.0.0.1:8089, the daemon's default) is pointed at it, the only change made to the text.
 * A DEBUG trap marks where each command's output starts, so each can be checked on its own.
 * Also: the command table lists every command, the exit-code table every status, links resolve.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { CLI_MAIN, REPO_ROOT } from '../helpers/cli.js'
import { type TestDaemon, startDaemon } from '../helpers/daemon.js'
import { tmpDir } from '../helpers/tmp.js'
import { buildProgram } from '../../src/cli/main.js'
import { EXIT_BY_CODE } from '../../src/cli/exit-codes.js'
import type { CliIo } from '../../src/cli/io.js'

const test = suite('README.md')
const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
const README_REGISTRY = '127.0.0.1:8089'
const MARK = '@@newcomer-command@@'

interface Step { command: string; output: string }

/** The marked blocks, in order. */
function newcomerBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/<!-- newcomer-test[^>]*-->\s*\n```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]!)
}

function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, out })
    })
  })
}

function splitSteps(out: string): Step[] {
  const parts = out.split(new RegExp(`\\n?${MARK} `))
  return parts.slice(1).map((p) => {
    const nl = p.indexOf('\n')
    return nl < 0 ? { command: p, output: '' } : { command: p.slice(0, nl), output: p.slice(nl + 1) }
  })
}

let daemon: TestDaemon | undefined
let steps: Step[] = []
let ran: { code: number | null; out: string }

test.after(async () => {
  await daemon?.stop()
})

test('the README carries newcomer blocks, and they run as written', async () => {
  const blocks = newcomerBlocks(README)
  assert.ok(blocks.length >= 3, `found ${blocks.length} marked blocks`)
  const home = tmpDir('ankagit-newcomer-')
  const bin = path.join(home, '.local', 'bin')
  fs.mkdirSync(bin, { recursive: true })
  fs.writeFileSync(path.join(bin, 'ankagit'), `#!/bin/sh\nexec '${process.execPath}' '${CLI_MAIN}' "$@"\n`, { mode: 0o755 })
  daemon = await startDaemon(path.join(home, 'registry'))
  const address = new URL(daemon.url).host
  const body = blocks.join('\n').replaceAll(README_REGISTRY, address)
  // Each simple command announces itself on stdout first; stderr is merged so messages stay in place.
  const script = `exec 2>&1\nset -euo pipefail\ntrap 'printf "\\n${MARK} %s\\n" "$BASH_COMMAND"' DEBUG\n${body}`
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANKAGIT_')) env[k] = v
  Object.assign(env, { HOME: home, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, NO_COLOR: '1' })
  ran = await runScript(script, env)
  steps = splitSteps(ran.out)
  const last = steps.at(-1)
  assert.is(ran.code, 0, `the README's commands stopped at: ${last?.command}\n${last?.output}`)
})

/** The output of the first command whose text starts with `prefix`. */
function outputOf(prefix: string): string {
  const s = steps.find((x) => x.command.startsWith(prefix))
  assert.ok(s, `the README no longer runs '${prefix}...'; commands run:\n${steps.map((x) => x.command).join('\n')}`)
  return s.output
}

function outputsOf(prefix: string): string[] {
  return steps.filter((x) => x.command.startsWith(prefix)).map((x) => x.output)
}

test('each step prints what the README says it does', () => {
  assert.ok(steps.length > 0, 'the script ran')
  assert.match(outputOf('ankagit init'), /^Initialized empty ankagit repository in .*\/vms\/macos-runner\/\.ankagit$/m)
  const [base, xcode, security] = outputsOf('ankagit commit')
  assert.match(base!, /^\[main [0-9a-f]{12}\] macOS 15\.1 base$/m)
  assert.match(xcode!, /^\[main [0-9a-f]{12}\] Xcode 17\.1$/m)
  assert.match(security!, /^\[main [0-9a-f]{12}\] security update$/m)
  assert.match(outputOf('ankagit status'), /^\tmodified:\s+disk\.img/m)
  assert.match(outputOf('ankagit log --oneline'), /^[0-9a-f]{12} Xcode 17\.1\n[0-9a-f]{12} macOS 15\.1 base\n$/)
  assert.match(outputOf('ankagit diff v15.1 HEAD --stat'), /^ disk\.img\s+\|\s+[\d.]+ MiB \++$/m)
  assert.match(outputOf('ankagit du'), /^commit\s+new data\s+stored\s+chunks\s+subject\n[0-9a-f]{12} .*Xcode 17\.1\n[0-9a-f]{12} .*macOS 15\.1 base\n2 commits /)
  assert.match(outputOf('ankagit checkout v15.1'), /^HEAD is now at [0-9a-f]{12}$/m)
  assert.match(outputOf('ankagit checkout main'), /^Switched to branch 'main'$/m)
  assert.match(outputOf('ankagit push origin main --tags'), /^ \* \[new branch\]\s+main\n \* \[new tag\]\s+v15\.1\nsent \d+ objects/m)
  assert.match(outputOf('ankagit clone'), /^checked out 'main': 3 files, /m)
  // The dry runs announce exactly what the real transfers then move.
  const sent = (s: string, verb: string) => new RegExp(`^${verb} (\\d+ objects, [\\d.]+ \\S+)`, 'm').exec(s)?.[1]
  const pushes = outputsOf('ankagit push')
  assert.ok(sent(outputOf('ankagit push --dry-run'), 'would send'))
  assert.is(sent(outputOf('ankagit push --dry-run'), 'would send'), sent(pushes.at(-1)!, 'sent'))
  assert.is(sent(outputOf('ankagit fetch --dry-run'), 'would receive'), sent(outputOf('ankagit pull'), 'received'))
  assert.match(outputOf('ankagit pull'), /^Fast-forward$/m)
  assert.match(ran.out, /^the build host holds the template byte for byte$/m)
  assert.not.match(ran.out, /^ankagit: /m, 'no command printed an error')
})

test('the command table lists every command, one line each', async () => {
  const io: CliIo = { out: () => {}, outBytes: () => {}, err: () => {}, columns: 80, stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd: REPO_ROOT }
  const names = (await buildProgram(io)).commands.map((c) => c.name())
  const table = README.slice(README.indexOf('## Commands'))
  for (const name of names) assert.match(table, new RegExp(`^\\| \`ankagit ${name}[ \`]`, 'm'), `command '${name}' is missing from the README's table`)
})

test('the exit-code table lists every status the CLI uses; relative links resolve', () => {
  const table = README.slice(README.indexOf('## Exit codes'))
  for (const status of new Set([0, 1, 2, ...Object.values(EXIT_BY_CODE)])) assert.match(table, new RegExp(`^\\| ${status} \\|`, 'm'), `exit status ${status}`)
  const links = [...README.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l))
  for (const l of ['src/objects/FORMAT.md', 'src/transport/PROTOCOL.md', 'docs/deployment.md', 'docs/chunking.md']) assert.ok(links.includes(l), `README links ${l}`)
  for (const l of links) assert.ok(fs.existsSync(path.join(REPO_ROOT, l)), `README links '${l}', which does not exist`)
})

test('the comparison section names every tool it compares with', () => {
  const section = README.slice(README.indexOf('## How it compares'), README.indexOf('\n## ', README.indexOf('## How it compares') + 1))
  for (const tool of ['restic', 'borg', 'casync', 'rsync', 'Tart', 'Anka']) assert.match(section, new RegExp(`^\\| ${tool}`, 'mi'), tool)
})

test.run()
