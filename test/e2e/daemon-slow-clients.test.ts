/**
 * Slow and stalled clients against the daemon (serve(), in this process, so its connection limits
 * can be shortened to a second): many connections trickling their headers a byte at a time
 * (slowloris) are cut once the headers deadline passes, and while they hang on, real clients push
 * and clone as usual; an upload that stops sending mid-frame is cut when its connection goes
 * silent, stores nothing, and the same push then completes.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as net from 'node:net'
import * as path from 'node:path'
import { type Daemon, serve } from '../../src/daemon/serve.js'
import { FrameStreamWriter } from '../../src/transport/frame-stream.js'
import { compressFrame } from '../../src/pack/zstd.js'
import { hashObjectBytes } from '../../src/objects/id.js'
import { fsckDaemonRoot } from '../helpers/daemon.js'
import { tmpDir } from '../helpers/tmp.js'
import { MiB, cliJson, cliOk, fingerprint, makeVmRepo } from './transport-fixture.js'

const test = suite('slow and stalled clients')
const SLOW_CLIENTS = 60
let work: string
let daemon: Daemon
let root: string

test.before(async () => {
  work = tmpDir('ankagit-slow-')
  root = path.join(work, 'root')
  daemon = await serve({ root, listen: '127.0.0.1:0', timeouts: { headersMs: 1000, idleMs: 1000 } })
})

test.after(async () => {
  await daemon.close()
})

/** Fails instead of hanging when the daemon never cuts a connection (the deadlines here are 1 s). */
function within<T>(p: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still open after ${ms / 1000} s`)), ms)))
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}

interface Slow {
  socket: net.Socket
  /** Resolves with what the daemon sent before it closed the connection. */
  closed: Promise<string>
}

/** A connection that sends `first`, then one more byte every `everyMs` until the daemon closes it. */
function slowClient(first: string, trickle: string, everyMs: number): Slow {
  const { port } = new URL(daemon.url)
  const socket = net.connect(Number(port), '127.0.0.1')
  let got = ''
  let timer: NodeJS.Timeout | undefined
  const closed = new Promise<string>((resolve) => {
    socket.on('data', (d) => (got += d.toString('latin1')))
    socket.on('error', () => {})
    socket.on('close', () => {
      clearInterval(timer)
      resolve(got)
    })
  })
  socket.on('connect', () => {
    socket.write(first)
    let i = 0
    if (trickle) timer = setInterval(() => socket.writable && socket.write(trickle[i++ % trickle.length]!), everyMs)
  })
  return { socket, closed }
}

/** A real client meanwhile: a new VM pushed to the daemon as `name` clones back byte for byte. */
async function pushAndCloneBack(name: string, seed: number): Promise<void> {
  const vm = path.join(work, `vm-${name}`)
  await makeVmRepo({ dir: vm, diskSize: 64 * MiB, dataBytes: 3 * MiB, seed, memorySize: MiB })
  await cliJson(vm, ['push', `${daemon.url}/${name}`, 'main'])
  const copy = path.join(work, `copy-${name}`)
  await cliOk(work, ['clone', '-q', `${daemon.url}/${name}`, copy])
  assert.equal(fingerprint(copy).files, fingerprint(vm).files)
}

test('slowloris: connections trickling headers are cut at the deadline; real clients are served meanwhile', async () => {
  const slow = Array.from({ length: SLOW_CLIENTS }, () => slowClient('GET /runner/refs HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: yes\r\n', 100))
  await pushAndCloneBack('runner', 61)
  const answers = await within(Promise.all(slow.map((s) => s.closed)), 'slowloris connections')
  for (const a of answers) assert.ok(a === '' || a.startsWith('HTTP/1.1 408'), `a slow client got ${JSON.stringify(a.slice(0, 80))}`)
})

test('an upload that stalls mid-frame is cut when silent, stores nothing, and the retried push completes', async () => {
  const body = Buffer.alloc(64 * 1024, 7)
  const id = hashObjectBytes('chunk', body)
  const w = new FrameStreamWriter()
  const stream = Buffer.concat([...w.start(), ...w.frame(compressFrame(body), [{ id, kind: 'chunk', offset: 0, length: body.length }])])
  const head = `POST /stalled/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nankagit-protocol: 1\r\ncontent-type: application/x-ankagit-frames\r\ntransfer-encoding: chunked\r\n\r\n`
  const part = stream.subarray(0, stream.length - 5)
  const stalled = slowClient(`${head}${part.length.toString(16)}\r\n${part.toString('latin1')}\r\n`, '', 0)
  await within(stalled.closed, 'the stalled upload')
  assert.not.ok(daemon.registry.objects.contains(id), 'the half-sent chunk is not stored')

  await pushAndCloneBack('stalled', 62)
  const fsck = (await fsckDaemonRoot(root)).registry!
  assert.is(fsck.code, 0, `daemon root fsck: ${fsck.stdout} ${fsck.stderr}`)
})

test.run()
