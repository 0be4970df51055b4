/**
 * `ankagit completion bash|zsh`: the scripts the built CLI prints, loaded into real shells. bash is
 * driven through its completion variables (COMP_WORDS, COMP_CWORD -> COMPREPLY); zsh, when installed,
 * through a pseudo-terminal (zsh/zpty) with compadd wrapped to print what it would offer. A command
 * added to a commander program completes without any list being edited.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Command, Option } from 'commander'
import { CLI_MAIN, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { bashCompletion, describeCommands, zshCompletion } from '../../src/cli/completion.js'

const test = suite('ankagit completion')
const ENV = { ANKAGIT_AUTHOR_NAME: 'Ada Tester', ANKAGIT_AUTHOR_EMAIL: 'ada@example.com' }
let dir: string
let repo: string
let env: NodeJS.ProcessEnv
let bashScript: string
let zshScript: string

test.before(async () => {
  dir = tmpDir('ankagit-completion-')
  // `ankagit` on PATH, as an installed CLI is: the scripts call it for ref names.
  const bin = path.join(dir, 'bin')
  fs.mkdirSync(bin)
  fs.writeFileSync(path.join(bin, 'ankagit'), `#!/bin/sh\nexec '${process.execPath}' '${CLI_MAIN}' "$@"\n`, { mode: 0o755 })
  env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir }
  repo = path.join(dir, 'vm')
  fs.mkdirSync(repo)
  fs.writeFileSync(path.join(repo, 'disk.img'), Buffer.alloc(8192, 7))
  const o = { cwd: repo, env: ENV }
  await runOk(['init', '-q'], o)
  await runOk(['commit', '-q', '-m', 'one'], o)
  await runOk(['tag', 'v15.1'], o)
  await runOk(['branch', 'xcode-beta'], o)
  bashScript = path.join(dir, 'ankagit.bash')
  fs.writeFileSync(bashScript, (await runOk(['completion', 'bash'], { cwd: dir })).stdout)
  zshScript = path.join(dir, '_ankagit')
  fs.writeFileSync(zshScript, (await runOk(['completion', 'zsh'], { cwd: dir })).stdout)
})

/** What bash offers for a command line whose last word is being completed ('' after a space). */
function bash(words: string[], script = bashScript): string[] {
  const prog = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ankagit; printf "%s\\n" "${COMPREPLY[@]}"'
  const out = execFileSync('bash', ['-c', prog, 'bash', script, ...words], { cwd: repo, env, encoding: 'utf8' })
  return out.split('\n').filter(Boolean).sort()
}

test('the bash script parses and registers itself for ankagit', () => {
  execFileSync('bash', ['-n', bashScript])
  const out = execFileSync('bash', ['-c', 'source "$1"; complete -p ankagit', 'bash', bashScript], { env, encoding: 'utf8' })
  assert.match(out, /complete .*-F _ankagit ankagit/)
})

test('bash: commands, subcommands and aliases, options, fixed values', () => {
  assert.equal(bash(['ankagit', 'co']), ['commit', 'completion', 'count-objects'])
  assert.equal(bash(['ankagit', 'remote', 'r']), ['remove', 'rm'])
  assert.equal(bash(['ankagit', 'commit', '--a']), ['--allow-empty'])
  assert.equal(bash(['ankagit', 'log', '--st']), ['--stat'])
  assert.equal(bash(['ankagit', 'completion', '']), ['bash', 'zsh'])
  assert.equal(bash(['ankagit', 'help', 'pu']), ['pull', 'push'])
  assert.ok(bash(['ankagit', '']).includes('du'))
})

test("bash: arguments complete as the repository's refs and files; option values are skipped", () => {
  assert.equal(bash(['ankagit', 'checkout', 'v']), ['v15.1'])
  assert.equal(bash(['ankagit', 'diff', 'v15.1', 'x']), ['xcode-beta'])
  assert.equal(bash(['ankagit', 'checkout', 'dis']), ['disk.img'])
  // '-m remote' is a message, not the remote command: the path stays 'tag'.
  assert.equal(bash(['ankagit', 'tag', '-m', 'remote', '--f']), ['--force'])
  // After an option that takes a file, files.
  assert.equal(bash(['ankagit', 'daemon', '--auth', 'dis']), ['disk.img'])
})

test('a command added to the program completes with no list edited', () => {
  const program = new Command('ankagit')
  program.addCommand(new Command('frobnicate').addOption(new Option('--level <n>', 'how hard').choices(['low', 'high'])).argument('[what]'))
  const script = path.join(dir, 'frob.bash')
  fs.writeFileSync(script, bashCompletion(describeCommands(program)))
  assert.equal(bash(['ankagit', 'fro'], script), ['frobnicate'])
  assert.equal(bash(['ankagit', 'frobnicate', '--level', ''], script), ['high', 'low'])
  assert.match(zshCompletion(describeCommands(program)), /'--level=\[how hard\]:level:\(low high\)'/)
})

const zsh = spawnSync('zsh', ['--version']).status === 0

/** Runs zsh in a pseudo-terminal, types the line and a tab, and collects what compadd was given. */
function zshComplete(line: string): string[] {
  const capture = `
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z 'PROMPT='
zpty -w z 'autoload -U compinit; compinit -u -D'
zpty -w z "source \${(q)1}"
zpty -w z "zstyle ':completion:*' insert-tab false"
zpty -w z 'compprefuncs=( ); comppostfuncs=( _end_capture ); M=MATCH; E=ENDOF'
zpty -w z 'compadd () {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a hits; builtin compadd -A hits "$@"
  local h; for h in $hits; do print -r -- "$M:$h"; done
}'
zpty -w z '_end_capture () { print -r -- "\${E}CAPTURE"; exit }'
zpty -w z "bindkey '^I' complete-word"
zpty -w z "$2"$'\\t'
zpty -r z all '*ENDOFCAPTURE*'
zpty -d z
print -r -- "$all"`
  const out = execFileSync('zsh', ['-f', '-c', capture, 'zsh', zshScript, line], { cwd: repo, env, encoding: 'utf8', timeout: 30_000 })
  return [...out.replace(/\r/g, '').matchAll(/MATCH:(.*)$/gm)].map((m) => m[1]!).sort()
}

if (zsh) {
  test('the zsh script parses', () => {
    execFileSync('zsh', ['-n', zshScript])
  })

  test('zsh: commands, subcommands, options, fixed values, refs and files', () => {
    assert.equal(zshComplete('ankagit co'), ['commit', 'completion', 'count-objects'])
    assert.equal(zshComplete('ankagit remote r'), ['remove', 'rm'])
    assert.equal(zshComplete('ankagit commit --a'), ['--allow-empty'])
    assert.equal(zshComplete('ankagit completion '), ['bash', 'zsh'])
    assert.equal(zshComplete('ankagit checkout v'), ['v15.1'])
    assert.equal(zshComplete('ankagit diff v15.1 x'), ['xcode-beta'])
    assert.equal(zshComplete('ankagit checkout dis'), ['disk.img'])
  })
} else {
  console.log('zsh completion tests SKIPPED: zsh is not installed (apt-get install zsh)')
  test.skip('zsh completion (needs zsh)', () => {})
}

test('completion --help says how to install; a shell other than bash or zsh is a usage error', async () => {
  const help = (await runOk(['completion', '--help'], { cwd: dir })).stdout
  assert.match(help, /bash-completion\/completions\/ankagit/)
  assert.match(help, /fpath=\(~\/\.zfunc \$fpath\)/)
  const r = spawnSync(process.execPath, [CLI_MAIN, 'completion', 'fish'], { encoding: 'utf8' })
  assert.is(r.status, 2)
  assert.match(r.stderr, /^ankagit: .*'fish'.*bash, zsh/)
})

test.run()
