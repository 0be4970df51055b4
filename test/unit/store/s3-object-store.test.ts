/**
 * The object store over S3: frames put, flushed as packs and indexes, read back through a second
 * store opened on the same prefix (another replica), verified by id.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { NotFoundError } from '../../../src/errors.js'
import { type ObjectId, hashObjectBytes, idFromBytes } from '../../../src/objects/id.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { FrameBuilder } from '../../../src/pack/frame.js'
import { compressFrame } from '../../../src/pack/zstd.js'
import { S3Backend } from '../../../src/store/s3.js'
import { withRetry } from '../../../src/store/retry.js'
import { s3Endpoint, skipS3, testBucket } from '../../helpers/s3.js'

function chunk(i: number, size = 64 << 10): Buffer {
  const b = Buffer.alloc(size)
  for (let j = 0; j < size; j += 4) b.writeUInt32LE((i * 2654435761 + j * 40503) >>> 0, j)
  return b
}

const endpoint = s3Endpoint()
if (!endpoint) {
  skipS3('ObjectStore over S3Backend')
} else {
  const test = suite('ObjectStore over S3Backend')

  test('frames and small objects survive flush and a reopen on another store', async () => {
    const bucket = await testBucket()
    const backend = withRetry(new S3Backend(bucket.freshPrefix()))
    const store = new ObjectStore(backend)
    await store.load()
    const frames = new FrameBuilder()
    const ids: ObjectId[] = []
    const take = async () => {
      const f = frames.take()
      if (f) await store.putFrame({ data: compressFrame(f.raw), objects: f.objects })
    }
    // 300 chunks of 64 KiB: about 19 MiB raw, so one data pack is saved before flush.
    for (let i = 0; i < 300; i++) {
      const id = hashObjectBytes('chunk', chunk(i))
      ids.push(idFromBytes(id))
      if (frames.add('chunk', id, chunk(i))) await take()
    }
    await take()
    const meta = store.put('commit', Buffer.from('a commit body'))
    await store.flush()
    const keys: string[] = []
    for await (const k of backend.list('packs/')) keys.push(k)
    assert.ok(keys.filter((k) => k.endsWith('.pack')).length >= 2, `packs: ${keys.join(' ')}`)
    assert.is(keys.filter((k) => k.endsWith('.idx')).length, keys.filter((k) => k.endsWith('.pack')).length)

    const replica = new ObjectStore(withRetry(new S3Backend(bucket.freshPrefix())))
    assert.is(await replica.has(ids[0]!), false, 'another prefix is another store')
    const again = new ObjectStore(backend)
    for (const i of [0, 150, 299]) assert.ok((await again.get(ids[i]!)).body.equals(chunk(i)))
    assert.equal(await again.get(meta), { kind: 'commit', body: Buffer.from('a commit body') })
    assert.equal(await again.missing([ids[7]!, 'e'.repeat(64) as ObjectId]), ['e'.repeat(64)])
    try {
      await again.get('e'.repeat(64) as ObjectId)
      assert.unreachable('must throw')
    } catch (err) {
      assert.instance(err, NotFoundError)
    }
  })

  test.run()
}
