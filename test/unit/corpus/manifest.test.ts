import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CorruptObjectError } from '../../../src/errors.js'
import { MANIFEST_PATH, encodeManifest, parseManifest } from '../../../bench/corpus/manifest.js'

const test = suite('manifest')

test('encodes sorted lines and parses them back', () => {
  const m = { files: [{ path: '/usr/b', size: 7 }, { path: '/usr/a', size: 0 }], dirs: ['/usr'], others: ['/bin'] }
  const text = encodeManifest(m).toString()
  assert.is(text, 'l\t/bin\nd\t/usr\n0\t/usr/a\n7\t/usr/b\n')
  assert.equal(parseManifest(Buffer.from(text)), { files: [{ path: '/usr/a', size: 0 }, { path: '/usr/b', size: 7 }], dirs: ['/usr'], others: ['/bin'] })
})

test('leaves itself out', () => {
  const text = encodeManifest({ files: [{ path: MANIFEST_PATH, size: 10 }], dirs: [], others: [] }).toString()
  assert.is(text, '')
})

test('rejects malformed lines with a CorruptObjectError', () => {
  for (const bad of ['12 /x\n', 'q\t/x\n', '5\trelative\n']) {
    try {
      parseManifest(Buffer.from(bad))
      assert.unreachable(`accepted ${JSON.stringify(bad)}`)
    } catch (err) {
      assert.instance(err, CorruptObjectError)
    }
  }
})

test.run()
