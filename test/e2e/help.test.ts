/**
 * Every command's --help, as issue 7 asks: a description, its options, examples, and what its exit
 * statuses mean (README § Exit codes). The command list comes from `ankagit --help`, so a new command
 * without them fails here.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as os from 'node:os'
import { runOk } from '../helpers/cli.js'

const test = suite('--help')

test('every command has a description, options, examples and exit statuses', async () => {
  const top = (await runOk(['--help'], { cwd: os.tmpdir() })).stdout
  const names = [...top.split('Commands:')[1]!.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]!).filter((n) => n !== 'help')
  assert.ok(names.length >= 25, `found ${names.length} commands`)
  for (const name of names) {
    const help = (await runOk([name, '--help'], { cwd: os.tmpdir() })).stdout
    assert.match(help, new RegExp(`^Usage: ankagit ${name}`), name)
    assert.match(help, /\n\n[a-z].+\n/, `${name}: a description`)
    assert.match(help, /\nOptions:\n/, `${name}: options`)
    assert.match(help, /\nExamples:\n {2}ankagit /, `${name}: examples`)
    assert.match(help, /\nExit status: /, `${name}: exit statuses`)
  }
})

test.run()
