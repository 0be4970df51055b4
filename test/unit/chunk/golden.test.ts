/**
 * Golden tables (desync chunker_test.go style): the test input cut by each chunker must give exactly
 * the extents in test/fixtures/chunker/*.json, {start, size, id} per chunk and {start, size, hole}
 * per hole. Cut points are part of the format; if this fails, the format changed. Regenerate only
 * for a deliberate format change: ANKAGIT_UPDATE_GOLDEN=1 node dist/test/unit/chunk/golden.test.js
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CDC_DEFAULT, type ChunkerParams, FIXED_DEFAULT } from '../../../src/chunk/chunker.js'
import { GEAR } from '../../../src/chunk/fastcdc.js'
import { hashObject } from '../../../src/objects/id.js'
import { testInput } from './input.js'
import { splitAll } from './split-all.js'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/chunker')

type Row = { start: number; size: number; id: string } | { start: number; size: number; hole: true }
interface Table { params: ChunkerParams; input: string; gear: string; extents: Row[] }

const TABLES: Array<[string, ChunkerParams]> = [
  ['fixed-64k.json', FIXED_DEFAULT],
  ['fastcdc-16k-64k-256k.json', CDC_DEFAULT],
  ['fastcdc-2k-8k-32k.json', { kind: 'fastcdc', min: 2048, avg: 8192, max: 32768 }],
]

const input = testInput()
const gearBytes = new Uint8Array(GEAR.length * 4)
GEAR.forEach((v, i) => new DataView(gearBytes.buffer).setUint32(i * 4, v, true))

function table(params: ChunkerParams): Table {
  const extents = splitAll(params, input).map((e): Row =>
    e.kind === 'hole' ? { start: e.offset, size: e.length, hole: true } : { start: e.offset, size: e.length, id: hashObject('chunk', e.bytes) })
  return { params, input: hashObject('chunk', input), gear: hashObject('chunk', gearBytes), extents }
}

/** One row per line, so a changed cut point shows as a readable diff. */
function encode(t: Table): string {
  const rows = t.extents.map((r) => '    ' + JSON.stringify(r)).join(',\n')
  return `{\n  "params": ${JSON.stringify(t.params)},\n  "input": "${t.input}",\n  "gear": "${t.gear}",\n  "extents": [\n${rows}\n  ]\n}\n`
}

const test = suite('chunker golden tables')

for (const [file, params] of TABLES) {
  test(`${file} matches`, () => {
    const got = table(params)
    const where = path.join(fixtures, file)
    if (process.env.ANKAGIT_UPDATE_GOLDEN === '1') fs.writeFileSync(where, encode(got))
    const want = JSON.parse(fs.readFileSync(where, 'utf8')) as Table
    assert.equal(got.params, want.params, 'params')
    assert.is(got.input, want.input, 'the test input changed (test/unit/chunk/input.ts)')
    assert.is(got.gear, want.gear, 'the gear table changed')
    const first = want.extents.findIndex((r, i) => JSON.stringify(r) !== JSON.stringify(got.extents[i]))
    assert.is(first, -1, `first differing extent at row ${first}: want ${JSON.stringify(want.extents[first])}, got ${JSON.stringify(got.extents[first])}`)
    assert.is(got.extents.length, want.extents.length, 'extent count')
  })
}

test('the tables exercise what they must', () => {
  const cdc = JSON.parse(fs.readFileSync(path.join(fixtures, 'fastcdc-16k-64k-256k.json'), 'utf8')) as Table
  const holes = cdc.extents.filter((r) => 'hole' in r)
  // 200 KiB, and 20000 + 1 MiB zeros merged into one hole; the 3000-byte run stays inside data.
  assert.equal(holes.map((r) => r.size), [200 << 10, 20000 + (1 << 20)])
  const ids = cdc.extents.flatMap((r) => ('id' in r ? [r.id] : []))
  assert.ok(new Set(ids).size < ids.length, 'the repeated region yields repeated chunk ids')
})

test.run()
