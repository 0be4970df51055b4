import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { LiveMarks } from '../../../src/maintenance/live-marks.js'
import { ObjectStore } from '../../../src/objects/object-store.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { hashObject } from '../../../src/objects/id.js'

const test = suite('LiveMarks')

test('marks the copy the store reads, once, counted per pack; unknown ids are not marked', async () => {
  const backend = new MemoryBackend()
  const first = new ObjectStore(backend)
  const a = first.put('tag', Buffer.from('a'))
  await first.flush()
  // A second writer that did not see the first pack stores the same object again, plus another.
  const second = new ObjectStore(new MemoryBackend())
  second.put('tag', Buffer.from('a'))
  const b = second.put('tag', Buffer.from('b'))
  await second.flush()
  for await (const key of second.backend.list('packs/')) await backend.save(key, await second.backend.load(key))
  const store = new ObjectStore(backend)
  await store.load()
  assert.is(store.packNames().length, 2)
  const marks = new LiveMarks(store)
  assert.ok(marks.mark(a))
  assert.ok(marks.mark(a))
  assert.ok(marks.mark(b))
  assert.is(marks.size, 2)
  const packA = store.locate(a)!.pack
  const packB = store.locate(b)!.pack
  assert.is(marks.liveCount(packA) + marks.liveCount(packB === packA ? 'none' : packB), 2)
  assert.ok(marks.isMarked(a) && marks.isMarked(b))
  assert.not.ok(marks.mark(hashObject('tag', Buffer.from('c'))))
  assert.not.ok(marks.isMarked(hashObject('tag', Buffer.from('c'))))
})

test.run()
