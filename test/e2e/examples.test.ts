/**
 * The examples as a user runs them, at small sizes: examples/template-workflow.sh,
 * examples/tls-registry.sh (bash, with the built CLI) and examples/library.ts (compiled to
 * dist/examples/library.js). Each must exit 0, print what its comments promise, and clean up after
 * itself. Their temp folders go under a test folder (TMPDIR), removed even when a test fails.
 * examples/scale-out has its own test (scaleout-example.test.ts).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { REPO_ROOT } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'

const test = suite('examples/')

interface Ran { code: number | null; stdout: string; stderr: string }

function runExample(cmd: string, args: string[], env: Record<string, string>): Promise<Ran> {
  const childEnv: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANKAGIT_')) childEnv[k] = v
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** The text between the step header containing `title` and the next header. */
function section(out: string, title: string): string {
  const start = out.indexOf(`== ${title}`)
  assert.ok(start >= 0, `no step '${title}' in:\n${out}`)
  const end = out.indexOf('\n== ', start + 1)
  return out.slice(start, end < 0 ? undefined : end)
}

/** "sent 152 objects, 1.8 MiB" -> "152 objects, 1.8 MiB", for comparing a dry run with the real thing. */
function amount(text: string, verb: string): string {
  const m = new RegExp(`^${verb} (\\d+ objects, [\\d.]+ [KMG]?i?B)`, 'm').exec(text)
  assert.ok(m, `no '${verb} N objects' line in:\n${text}`)
  return m[1]!
}

/** Command lines of running processes that mention dir: what a script left behind (a daemon it started). */
function processesUnder(dir: string): string[] {
  const found: string[] = []
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (cmd.includes(dir)) found.push(`${pid}: ${cmd}`)
    } catch {} // gone meanwhile
  }
  return found
}

test('template-workflow.sh: publish, install, update, ship the delta, compare', async () => {
  const tmp = tmpDir('ankagit-example-template-')
  const r = await runExample('bash', ['examples/template-workflow.sh'], { TMPDIR: tmp, DISK_SIZE: '256M', DATA: '16M', CHANGE: '4M' })
  assert.is(r.code, 0, `exit status\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)
  assert.equal(processesUnder(tmp), [], 'the script stopped the daemon it started')
  const out = r.stdout
  assert.match(section(out, 'version it'), /^\[main [0-9a-f]{12}\] macOS 15\.1 base$/m)
  const registry = /^registry at (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1]
  assert.ok(registry, out)
  const publish = section(out, 'publish: push')
  assert.match(publish, new RegExp(`^To ${registry}/macos-runner\\n \\* \\[new branch\\]\\s+main\\n \\* \\[new tag\\]\\s+v15\\.1$`, 'm'))
  assert.match(section(out, 'install on a build host'), /^checked out 'main': 3 files, /m)
  assert.match(section(out, 'update the template'), /^\tmodified:\s+disk\.img/m)
  // The dry runs announce exactly what the real transfers then move.
  const update = section(out, 'publish the update')
  assert.is(amount(update, 'would send'), amount(update, 'sent'))
  const pull = section(out, 'on the build host')
  assert.is(amount(pull, 'would receive'), amount(pull, 'received'))
  assert.match(pull, /^Fast-forward$/m)
  assert.match(pull, /^the build host's disk\.img is byte-identical to the template$/m)
  // The delta is a fraction of the first upload.
  const bytes = (t: string) => Number(/objects, ([\d.]+) MiB/.exec(amount(t, 'sent'))?.[1] ?? NaN)
  assert.ok(bytes(update) < bytes(publish) / 1.5, `delta ${bytes(update)} MiB, first push ${bytes(publish)} MiB`)
  const compare = section(out, 'what changed')
  assert.match(compare, /^ disk\.img\s+\|\s+[\d.]+ MiB \++$/m)
  assert.match(compare, /^ 3 files changed, [\d.]+ MiB changed, [\d.]+ MiB to transfer$/m)
  assert.match(compare, /^commit\s+new data\s+stored\s+chunks\s+subject\n[0-9a-f]{12}\s.*Xcode 17\.1\n[0-9a-f]{12}\s.*macOS 15\.1 base\n2 commits/m)
  assert.match(section(out, 'check the registry'), /^checked \d+ packs/m)
  assert.equal(fs.readdirSync(tmp), [], 'the work folder is removed')
})

test('tls-registry.sh: HTTPS with a private CA, write and read tokens, and the refusals', async () => {
  const tmp = tmpDir('ankagit-example-tls-')
  const r = await runExample('bash', ['examples/tls-registry.sh'], { TMPDIR: tmp, DISK_SIZE: '128M', DATA: '8M' })
  assert.is(r.code, 0, `exit status\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)
  assert.equal(processesUnder(tmp), [], 'the script stopped the daemon it started')
  const out = r.stdout
  assert.match(out, /^registry at https:\/\/127\.0\.0\.1:\d+$/m)
  assert.match(section(out, 'push a template'), /^ \* \[new branch\]\s+main$/m)
  assert.match(section(out, 'clone on a build host'), /^the clone's disk\.img is byte-identical$/m)
  const wrong = section(out, 'what clients see')
  assert.match(wrong, /^exit 8: ankagit: token may not write 'macos-runner'$/m)
  assert.match(wrong, /^exit 8: ankagit: invalid token$/m)
  assert.match(wrong, /^exit 7: ankagit: cannot reach .*--cacert FILE or ANKAGIT_CA_FILE\)$/m)
  assert.not.match(out + r.stderr, /templates-[0-9a-f]{24}|build-hosts-[0-9a-f]{24}/, 'no token is ever printed')
  assert.equal(fs.readdirSync(tmp), [], 'the work folder is removed')
})

test('library.ts: init, commit, log, du, serve, push and clone through the exported API, with progress', async () => {
  const work = path.join(tmpDir('ankagit-example-library-'), 'work')
  const r = await runExample(process.execPath, [path.join(REPO_ROOT, 'dist', 'examples', 'library.js'), work, '--disk-mib', '64'], {})
  assert.is(r.code, 0, `exit status\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`)
  const out = r.stdout
  assert.match(out, /^ {2}\[commit\] commit: [\d.]+ \/ 64\.\d MiB$/m)
  const commits = [...out.matchAll(/^commit ([0-9a-f]{12}): (\d+) new chunks/gm)]
  assert.is(commits.length, 2)
  assert.ok(Number(commits[1]![2]) < Number(commits[0]![2]), 'the second commit stores only the changed chunks')
  assert.match(out, new RegExp(`^log:\\n  ${commits[1]![1]} Xcode 17\\.1\\n  ${commits[0]![1]} macOS 15\\.1 base$`, 'm'))
  assert.match(out, /^ {2}\[push\] upload: /m)
  assert.match(out, /^push refs\/heads\/main: created$/m)
  assert.match(out, /^ {2}\[clone\] chunks: /m)
  assert.match(out, /^ {2}\[clone\] checkout: /m)
  assert.match(out, /^clone received [\d.]+ MiB, checked out 'main' \(3 files\)$/m)
  assert.match(out, /^the clone is byte-identical to the template$/m)
})

test.run()
