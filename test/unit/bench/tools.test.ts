import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { COMPETITOR_TOOLS, ensureTools, hasCommand, shortVersion } from '../../../bench/tools.js'

const test = suite('tools')

test('short versions from the tools’ own version lines', () => {
  assert.is(shortVersion('restic', 'restic 0.14.0 compiled with go1.19.8 on linux/amd64'), 'restic 0.14.0')
  assert.is(shortVersion('borg', 'borg 1.2.4'), 'borg 1.2.4')
  assert.is(shortVersion('casync', 'casync 2'), 'casync 2')
  assert.is(shortVersion('zstd', '*** Zstandard CLI (64-bit) v1.5.4, by Yann Collet ***'), 'zstd 1.5.4')
  assert.is(shortVersion('x', 'no version here'), 'x')
})

test('every tool names its Debian package', () => {
  for (const [name, t] of Object.entries(COMPETITOR_TOOLS)) assert.ok(t.debianPackage.length > 0, name)
  assert.is(COMPETITOR_TOOLS.borg!.debianPackage, 'borgbackup')
})

test('hasCommand finds sh and not a made-up name', () => {
  assert.ok(hasCommand('sh'))
  assert.not.ok(hasCommand('ankagit-no-such-tool'))
})

test('tools already installed need no apt-get', async () => {
  const present = Object.keys(COMPETITOR_TOOLS).filter((n) => hasCommand(COMPETITOR_TOOLS[n]!.command))
  const lines: string[] = []
  const setup = await ensureTools(present, (l) => lines.push(l))
  assert.equal([...setup.available].sort(), [...present].sort())
  assert.equal(setup.installed, [])
  assert.equal(lines, [])
})

test.run()
