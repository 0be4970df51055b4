/**
 * Packs of a local store are written to a temp file as frames arrive and renamed into place when whole
 * (pack-sink.ts). These check that the frames are on disk, not in memory, before the save; that nothing
 * is left in tmp/ after a save or a failure; and that a full disk (a real small tmpfs) loses no object
 * that was reported stored.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { randomBytes } from 'node:crypto'
import { LocalBackend } from '../../../src/store/local.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { hashObjectBytes, idFromBytes } from '../../../src/objects/id.js'
import { FrameBuilder, type FrameObject } from '../../../src/pack/frame.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import { AnkagitError } from '../../../src/errors.js'
import { tmpDir } from '../../helpers/tmp.js'
import { leaveFree, smallFilesystem } from '../../helpers/small-fs.js'

const test = suite('pack sink (local store)')

/** A frame of one incompressible chunk of `size` bytes, and the chunk. */
function frameOf(size = 200_000): { data: Buffer; objects: FrameObject[]; body: Buffer } {
  const body = randomBytes(size)
  const frames = new FrameBuilder()
  frames.add('chunk', hashObjectBytes('chunk', body), body)
  const f = frames.take()!
  return { data: Buffer.from(compressFrame(f.raw)), objects: f.objects, body }
}

function tempFiles(root: string): string[] {
  try {
    return fs.readdirSync(path.join(root, 'tmp'))
  } catch {
    return []
  }
}

test('frames go to a temp file as they come, are readable before the save, and the temp file becomes the pack', async () => {
  const root = tmpDir('ankagit-sink-')
  const store = new ObjectStore(new LocalBackend(root))
  await store.load()
  const a = frameOf()
  const handed = Buffer.from(a.data)
  await store.putFrame({ data: handed, objects: a.objects }, { release: true })
  assert.is(handed.buffer.byteLength, 0, 'a released frame is freed at once: the temp file has its bytes')
  const temps = tempFiles(root)
  assert.is(temps.length, 1)
  assert.ok(fs.statSync(path.join(root, 'tmp', temps[0]!)).size >= a.data.length, 'the frame is in the temp file')
  assert.ok((await store.get(idFromBytes(a.objects[0]!.id))).body.equals(a.body), 'readable from the temp file before the save')
  await store.flush()
  assert.equal(tempFiles(root), [])
  const again = new ObjectStore(new LocalBackend(root))
  assert.ok((await again.get(idFromBytes(a.objects[0]!.id))).body.equals(a.body))
})

test('a full disk while frames are appended: a one-line ENOSPACE, no temp file left, no object reported present, and a retry stores everything', async () => {
  const small = smallFilesystem(4 << 20)
  try {
    const root = path.join(small.dir, 'store')
    const store = new ObjectStore(new LocalBackend(root))
    await store.load()
    const frames = [1, 2, 3].map(() => frameOf())
    const filler = leaveFree(small.dir, 75 * 4096)
    await store.putFrame(frames[0]!)
    const err = await store.putFrame(frames[1]!).then(() => undefined, (e: unknown) => e)
    assert.ok(err instanceof AnkagitError && err.code === 'ENOSPACE', `ENOSPACE, got ${String(err)}`)
    assert.match((err as Error).message, /^no space left on device while writing a pack in local /)
    assert.equal(tempFiles(root), [], 'the failed pack left no temp file')
    for (const f of frames.slice(0, 2)) assert.is(store.contains(f.objects[0]!.id), false, 'given up with its pack')
    fs.rmSync(filler)
    for (const f of frames) await store.putFrame(f)
    await store.flush()
    const again = new ObjectStore(new LocalBackend(root))
    for (const f of frames) assert.ok((await again.get(idFromBytes(f.objects[0]!.id))).body.equals(f.body))
    assert.equal(tempFiles(root), [])
  } finally {
    small.unmount()
  }
})

test.run()
