/**
 * HTTPS with a self-signed CA made by openssl in the test: the daemon's own TLS (--tls-cert/--tls-key;
 * clients trust the CA through --cacert or ANKAGIT_CA_FILE, and without it fail with one clear
 * certificate error, exit 7), and nginx terminating TLS in front of two plain-HTTP daemons on one
 * root, rendered from .ci/services/nginx.conf.tmpl (skipped with a notice when nginx is not installed).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as path from 'node:path'
import { updateVmInPlace } from '../../bench/corpus/vm.js'
import { type TestDaemon, fsckDaemonRoot, startDaemon } from '../helpers/daemon.js'
import { findNginx, freePort, startNginx } from '../helpers/nginx.js'
import { type TlsFiles, makeTlsFiles } from '../helpers/tls.js'
import { tmpDir } from '../helpers/tmp.js'
import { MiB, assertCliError, cli, cliJson, cliOk, fingerprint, makeVmRepo } from './transport-fixture.js'

const test = suite('TLS: the daemon itself, and nginx in front')
let work: string
let tls: TlsFiles
let vm: string

test.before(async () => {
  work = tmpDir('ankagit-tx-tls-')
  tls = makeTlsFiles(work)
  vm = path.join(work, 'vm')
  await makeVmRepo({ dir: vm, diskSize: 128 * MiB, dataBytes: 8 * MiB, seed: 91, memorySize: MiB })
})

test('the daemon serves HTTPS: --cacert and ANKAGIT_CA_FILE work, no CA fails with a certificate error', async () => {
  const daemon = await startDaemon(path.join(work, 'root'), { tls: { cert: tls.cert, key: tls.key } })
  try {
    assert.match(daemon.url, /^https:\/\/127\.0\.0\.1:\d+$/)
    await cliOk(vm, ['remote', 'add', 'origin', `${daemon.url}/runner`])
    assertCliError(await cli(vm, ['push']), 7, /certificate/)
    const pushed = await cliJson(vm, ['push', '--cacert', tls.caCert])
    assert.is(pushed.refs[0].status, 'created')

    const noCa = await cli(work, ['clone', '-q', `${daemon.url}/runner`, path.join(work, 'no-ca')])
    assertCliError(noCa, 7, /certificate/)
    const byFlag = path.join(work, 'by-flag')
    await cliJson(work, ['clone', `${daemon.url}/runner`, byFlag, '--cacert', tls.caCert])
    assert.equal(fingerprint(byFlag).files, fingerprint(vm).files)
    const byEnv = path.join(work, 'by-env')
    await cliJson(work, ['clone', `${daemon.url}/runner`, byEnv], { ANKAGIT_CA_FILE: tls.caCert })
    assert.equal(fingerprint(byEnv).files, fingerprint(vm).files)
    const listed = await cliOk(work, ['ls-remote', `${daemon.url}/runner`], { ANKAGIT_CA_FILE: tls.caCert })
    assert.match(listed.stdout, new RegExp(`^${pushed.refs[0].new}\\trefs/heads/main$`, 'm'))
    // A CA that did not sign the server certificate is refused too.
    const otherCa = makeTlsFiles(tmpDir('ankagit-tx-other-ca-')).caCert
    assertCliError(await cli(work, ['ls-remote', `${daemon.url}/runner`, '--cacert', otherCa]), 7, /certificate/)
  } finally {
    await daemon.stop()
  }
})

test('behind nginx with TLS (two daemons on one root): push and clone through it', async () => {
  const nginx = findNginx()
  if (!nginx) {
    console.log('notice: nginx is not installed; skipping the nginx test (CI installs it: apt-get install nginx)')
    return
  }
  const root = path.join(work, 'proxied-root')
  const daemons: TestDaemon[] = [await startDaemon(root), await startDaemon(root)]
  const proxy = await startNginx({
    binary: nginx,
    dir: tmpDir('ankagit-tx-nginx-'),
    cert: tls.cert,
    key: tls.key,
    port: await freePort(),
    upstreams: daemons.map((d) => new URL(d.url).host),
  })
  try {
    const env = { ANKAGIT_CA_FILE: tls.caCert }
    const proxied = path.join(work, 'proxied-vm')
    await makeVmRepo({ dir: proxied, diskSize: 256 * MiB, dataBytes: 16 * MiB, seed: 92, memorySize: MiB })
    await cliOk(proxied, ['remote', 'add', 'origin', `${proxy.url}/runner`])
    const first = await cliJson(proxied, ['push'], env)
    assert.is(first.refs[0].status, 'created')
    const clone = path.join(work, 'proxied-clone')
    const cloned = await cliJson(work, ['clone', `${proxy.url}/runner`, clone], env)
    assert.is(cloned.fetch.chunks.rawBytes, first.sent.rawBytes)
    assert.equal(fingerprint(clone).files, fingerprint(proxied).files)

    await updateVmInPlace(proxied, { seed: 93, changeBytes: 2 * MiB, method: 'debugfs' })
    await cliJson(proxied, ['commit', '-m', 'second version'])
    const delta = await cliJson(proxied, ['diff', 'HEAD~1', 'HEAD'])
    const second = await cliJson(proxied, ['push'], env)
    assert.is(second.sent.rawBytes, delta.transferBytes, 'only the new chunks, through the proxy too')
    const pulled = await cliJson(clone, ['pull'], env)
    assert.is(pulled.fetch.chunks.rawBytes, delta.transferBytes)
    assert.equal(fingerprint(clone).files, fingerprint(proxied).files)
    assert.is((await cliJson(clone, ['fetch'], env)).stats.requests, 1)
    for (const [name, r] of Object.entries(await fsckDaemonRoot(root))) assert.is(r.code, 0, `fsck of repository '${name}': ${r.stdout}${r.stderr}`)
  } catch (err) {
    throw new Error(`${(err as Error).message}\nnginx error.log:\n${proxy.errorLog()}`)
  } finally {
    await proxy.stop()
    for (const d of daemons) await d.stop()
  }
})

test.run()
