/**
 * Who may move a daemon's refs: two pushes racing on one ref from two clones (exactly one wins, the
 * other exits 5 with a clear message and nothing is overwritten; once as they come, once with the
 * loser's compare-and-swap held back by a proxy until the other push has won), and bearer tokens from an auth file
 * (no token: 401, exit 8; a read token reads but cannot push: 403, exit 8; a write token pushes).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { updateVmInPlace } from '../../bench/corpus/vm.js'
import { type TestDaemon, fsckDaemonRoot, startDaemon } from '../helpers/daemon.js'
import { tmpDir } from '../helpers/tmp.js'
import { MiB, assertCliError, cli, cliJson, cliOk, fingerprint, makeVmRepo } from './transport-fixture.js'

const test = suite('racing pushes and bearer tokens')
let work: string

test.before(() => {
  work = tmpDir('ankagit-tx-access-')
})

test('two pushes racing on one ref: exactly one wins, the other exits 5 and overwrites nothing', async () => {
  const daemon = await startDaemon(path.join(work, 'race-root'))
  try {
    const vm = path.join(work, 'race-vm')
    await makeVmRepo({ dir: vm, diskSize: 256 * MiB, dataBytes: 8 * MiB, seed: 81, memorySize: MiB })
    await cliOk(vm, ['remote', 'add', 'origin', `${daemon.url}/runner`])
    await cliJson(vm, ['push'])
    const a = path.join(work, 'race-a')
    const b = path.join(work, 'race-b')
    await cliJson(work, ['clone', `${daemon.url}/runner`, a])
    await cliJson(work, ['clone', `${daemon.url}/runner`, b])
    await updateVmInPlace(a, { seed: 82, changeBytes: 4 * MiB, method: 'debugfs' })
    await updateVmInPlace(b, { seed: 83, changeBytes: 4 * MiB, method: 'debugfs' })
    const ca = (await cliJson(a, ['commit', '-m', 'from a'])).id as string
    const cb = (await cliJson(b, ['commit', '-m', 'from b'])).id as string

    const [ra, rb] = await Promise.all([cli(a, ['push', '-q']), cli(b, ['push', '-q'])])
    const codes = [ra.code, rb.code].sort()
    assert.equal(codes, [0, 5], `one push wins, the other exits 5 (a: ${ra.code} ${ra.stderr}, b: ${rb.code} ${rb.stderr})`)
    const [loser, winnerId] = ra.code === 0 ? [rb, ca] : [ra, cb]
    // Either the loser saw the winner's ref in the advertisement (non-fast-forward) or lost the
    // compare-and-swap in update-refs: both are one clear line, exit 5.
    assertCliError(loser, 5, /refs\/heads\/main|'main'/)
    assert.match(loser.stderr, /fetch first|non-fast-forward|changed: expected/)
    const remote = (await cliOk(vm, ['ls-remote', 'origin'])).stdout
    assert.match(remote, new RegExp(`^${winnerId}\\trefs/heads/main$`, 'm'), 'the registry holds the winner')

    // The race lost in the compare-and-swap itself, made certain: a proxy holds the loser's
    // update-refs back until another push has moved the ref the loser read.
    const x = path.join(work, 'race-x')
    const y = path.join(work, 'race-y')
    await cliJson(work, ['clone', `${daemon.url}/runner`, x])
    await cliJson(work, ['clone', `${daemon.url}/runner`, y])
    await updateVmInPlace(x, { seed: 84, changeBytes: MiB, method: 'debugfs' })
    await updateVmInPlace(y, { seed: 85, changeBytes: MiB, method: 'debugfs' })
    const cx = (await cliJson(x, ['commit', '-m', 'from x'])).id as string
    await cliJson(y, ['commit', '-m', 'from y'])
    const gate = await gatedProxy(daemon.url, '/runner/update-refs')
    try {
      await cliOk(y, ['remote', 'add', 'gated', `${gate.url}/runner`])
      const late = cli(y, ['push', 'gated'])
      await gate.held
      await cliOk(x, ['push', '-q'])
      gate.release()
      assertCliError(await late, 5, /^ankagit: ref 'refs\/heads\/main' changed: expected [0-9a-f]+, found [0-9a-f]+/)
    } finally {
      await gate.close()
    }
    assert.match((await cliOk(vm, ['ls-remote', 'origin'])).stdout, new RegExp(`^${cx}\\trefs/heads/main$`, 'm'), 'the registry holds the push that won')
    for (const [name, r] of Object.entries(await fsckDaemonRoot(daemon.root))) assert.is(r.code, 0, `fsck of repository '${name}': ${r.stdout}${r.stderr}`)
  } finally {
    await daemon.stop()
  }
})

test('auth: no token gets 401, a read token reads but cannot push (403), a write token pushes', async () => {
  const READ = 'read-token-7f3a9e1c-0123'
  const WRITE = 'write-token-3b9f0c2e-4567'
  const authFile = path.join(work, 'tokens')
  fs.writeFileSync(authFile, `# token access pattern\n${READ} read run*\n${WRITE} write runner\n`)
  const daemon = await startDaemon(path.join(work, 'auth-root'), { auth: authFile })
  try {
    const vm = path.join(work, 'auth-vm')
    await makeVmRepo({ dir: vm, diskSize: 128 * MiB, dataBytes: 4 * MiB, seed: 84, memorySize: MiB })
    await cliOk(vm, ['remote', 'add', 'origin', `${daemon.url}/runner`])

    assertCliError(await cli(vm, ['push']), 8, /auth/)
    assertCliError(await cli(vm, ['push', '--token', READ]), 8, /may not write/)
    assertCliError(await cli(vm, ['push'], { ANKAGIT_TOKEN: 'not-a-token-of-this-daemon' }), 8, /invalid token/)
    assert.not.match((await cli(vm, ['push', '--token', `x${READ}`])).stderr, new RegExp(READ), 'a token is never echoed')
    const pushed = await cliJson(vm, ['push', '--token', WRITE])
    assert.is(pushed.refs[0].status, 'created')

    assertCliError(await cli(work, ['ls-remote', `${daemon.url}/runner`]), 8, /auth/)
    const listed = await cliOk(work, ['ls-remote', `${daemon.url}/runner`], { ANKAGIT_TOKEN: READ })
    assert.match(listed.stdout, new RegExp(`^${pushed.refs[0].new}\\trefs/heads/main$`, 'm'))
    assertCliError(await cli(work, ['clone', '-q', `${daemon.url}/runner`, path.join(work, 'no-token')]), 8, /auth/)
    const dest = path.join(work, 'auth-clone')
    await cliJson(work, ['clone', `${daemon.url}/runner`, dest, '--token', READ])
    assert.equal(fingerprint(dest).files, fingerprint(vm).files)

    // A read token cannot push from the clone either, and the refs did not move.
    fs.appendFileSync(path.join(dest, 'config.json'), ' ')
    await cliJson(dest, ['commit', '-m', 'not allowed'])
    assertCliError(await cli(dest, ['push'], { ANKAGIT_TOKEN: READ }), 8, /may not write/)
    const after = await cliOk(work, ['ls-remote', `${daemon.url}/runner`], { ANKAGIT_TOKEN: WRITE })
    assert.match(after.stdout, new RegExp(`^${pushed.refs[0].new}\\trefs/heads/main$`, 'm'))
  } finally {
    await daemon.stop()
  }
})

/**
 * An HTTP proxy to `target` that forwards every request at once, except the first POST to `held`,
 * which waits until release() (the `held` promise says it has arrived).
 */
async function gatedProxy(target: string, heldPath: string): Promise<{ url: string; held: Promise<void>; release: () => void; close: () => Promise<void> }> {
  const upstream = new URL(target)
  let arrived = () => {}
  const held = new Promise<void>((resolve) => (arrived = resolve))
  let release = () => {}
  const released = new Promise<void>((resolve) => (release = resolve))
  let holding = true
  const server = http.createServer(async (req, res) => {
    if (holding && req.method === 'POST' && req.url === heldPath) {
      holding = false
      arrived()
      await released
    }
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    out.on('error', () => res.destroy())
    req.pipe(out)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    release,
    close: () => {
      release()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

test.run()
