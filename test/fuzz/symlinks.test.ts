/**
 * Symbolic links in a VM directory: commit refuses them (a link could make it read outside the
 * bundle), and checkout never follows one out of the bundle, whether the link sits where a file will
 * be written, where a file will be removed, or in place of a folder on the way to one. The file the
 * link points at must stay untouched, with or without --force.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { run, runOk } from '../helpers/cli.js'
import { tmpDir } from '../helpers/tmp.js'
import { copyTree, writeVersion1, writeVersion2 } from '../crash/bundle.js'
import { assertFsckPasses, headId } from '../crash/harness.js'

const test = suite('hostile input: symbolic links in the VM directory')

function outside(): { dir: string; victim: string } {
  const dir = tmpDir('ankagit-outside-')
  const victim = path.join(dir, 'victim')
  fs.writeFileSync(victim, 'must not change\n')
  return { dir, victim }
}

function assertUntouched(o: { dir: string; victim: string }, ctx: string): void {
  assert.is(fs.readFileSync(o.victim, 'utf8'), 'must not change\n', `${ctx}: the link target changed`)
  assert.equal(fs.readdirSync(o.dir), ['victim'], `${ctx}: files appeared outside the bundle`)
}

test('commit refuses a symbolic link to a file or a folder, anywhere in the bundle', async () => {
  const o = outside()
  for (const [link, target] of [['disk-link.img', o.victim], ['Data/link', o.victim], ['linked-dir', o.dir], ['dangling', '/nonexistent/x']] as const) {
    const dir = tmpDir('ankagit-symlink-commit-')
    writeVersion1(dir)
    await runOk(['init', '-q'], { cwd: dir })
    fs.symlinkSync(target, path.join(dir, link))
    const r = await run(['commit', '-m', 'with a link'], { cwd: dir })
    assert.is(r.code, 2, `${link}: ${r.stderr}`)
    assert.is(r.stderr, `ankagit: cannot record '${link}': symbolic links are not supported\n`)
    assert.is(await headId(dir), undefined, `${link}: nothing was committed`)
    assertUntouched(o, link)
  }
})

test('checkout never writes, truncates or removes through a symbolic link', async () => {
  const o = outside()
  // 'old' has nvram.bin and Data/notes.txt; 'main' (v2) lacks nvram.bin and has Data/extra.img.
  const template = tmpDir('ankagit-symlink-checkout-')
  writeVersion1(template)
  await runOk(['init', '-q'], { cwd: template })
  await runOk(['commit', '-q', '-m', 'v1'], { cwd: template })
  await runOk(['branch', 'old'], { cwd: template })
  writeVersion2(template)
  await runOk(['commit', '-q', '-m', 'v2'], { cwd: template })
  const cases: Array<{ name: string; rev: string; plant: (dir: string) => void }> = [
    // Where checkout of 'old' will create nvram.bin.
    { name: 'link where a file will be created', rev: 'old', plant: (d) => fs.symlinkSync(o.victim, path.join(d, 'nvram.bin')) },
    // In place of a tracked file that checkout rewrites.
    { name: 'link in place of a tracked file', rev: 'old', plant: (d) => (fs.rmSync(path.join(d, 'config.json')), fs.symlinkSync(o.victim, path.join(d, 'config.json'))) },
    // In place of the folder that holds files to write (Data/notes.txt) and to remove (Data/extra.img).
    {
      name: 'link in place of a folder',
      rev: 'old',
      plant: (d) => {
        fs.rmSync(path.join(d, 'Data'), { recursive: true })
        fs.symlinkSync(o.dir, path.join(d, 'Data'))
      },
    },
  ]
  for (const c of cases) {
    for (const force of [false, true]) {
      const dir = path.join(tmpDir('ankagit-symlink-case-'), 'vm')
      copyTree(template, dir)
      c.plant(dir)
      const r = await run(['checkout', ...(force ? ['--force'] : []), c.rev], { cwd: dir })
      const ctx = `${c.name}${force ? ' (--force)' : ''}`
      assert.is.not(r.code, 0, `${ctx}: checkout went ahead: ${r.stdout}`)
      assert.is(r.stderr.trim().split('\n').length, 1, `${ctx}: ${r.stderr}`)
      assert.match(r.stderr, /^ankagit: cannot record '.*': symbolic links are not supported/, ctx)
      assertUntouched(o, ctx)
      await assertFsckPasses(dir, ctx)
    }
  }
})

test.run()
