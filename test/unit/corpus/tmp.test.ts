import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { mountsUnder } from '../../../bench/corpus/mounts.js'

const test = suite('test helpers: tmp')
const tmpModule = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../helpers/tmp.js')).href

/** Runs a child that makes a tmp folder, mounts an image inside it, prints the folder, then ends as `ending` says. */
function runChild(ending: string): { dir: string; status: number | null; signal: string | null } {
  const script = `
    import { tmpDir } from ${JSON.stringify(tmpModule)}
    import { execFileSync } from 'node:child_process'
    const dir = tmpDir('ankagit-tmp-test-')
    execFileSync('truncate', ['-s', '16M', dir + '/d.img'])
    execFileSync('mkfs.ext4', ['-q', dir + '/d.img'])
    execFileSync('mkdir', [dir + '/mnt'])
    execFileSync('mount', ['-o', 'loop', dir + '/d.img', dir + '/mnt'])
    console.log(dir)
    ${ending}
  `
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
  return { dir: r.stdout.trim().split('\n')[0] ?? '', status: r.status, signal: r.signal }
}

function assertGone(dir: string): void {
  assert.ok(dir.includes('ankagit-tmp-test-'), `child printed '${dir}'`)
  assert.equal(mountsUnder(dir), [])
  assert.not.ok(fs.existsSync(dir), `${dir} was left behind`)
  const loops = spawnSync('losetup', ['-a'], { encoding: 'utf8' }).stdout
  assert.not.ok(loops.includes(dir), 'a loop device is still attached')
}

test('a folder with a mount inside is unmounted and removed after an uncaught error', () => {
  const r = runChild(`throw new Error('boom')`)
  assert.is(r.status, 1)
  assertGone(r.dir)
})

test('and after SIGTERM, which still ends the process by that signal', () => {
  const r = runChild(`process.kill(process.pid, 'SIGTERM'); setTimeout(() => {}, 10000)`)
  assert.is(r.signal, 'SIGTERM')
  assertGone(r.dir)
})

test.run()
