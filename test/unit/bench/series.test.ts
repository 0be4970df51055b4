import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { BackupTool } from '../../../bench/backup-tool.js'
import { fingerprintBundle } from '../../../bench/bundle-facts.js'
import type { Version } from '../../../bench/presented-tree.js'
import { runSeries } from '../../../bench/series.js'
import { withLoad } from '../../../bench/step.js'
import { runMeasured } from '../../../bench/measured-run.js'
import { tmpDir } from '../../helpers/tmp.js'

const test = suite('series')

/** A tool double that appends every file it is shown to a log in its state folder. */
function copyingTool(id: string, failOn?: string): BackupTool & { seen: string[] } {
  let state = ''
  const seen: string[] = []
  return {
    id,
    label: id,
    wireMethod: 'test',
    seen,
    async init(dir) {
      state = dir
    },
    async record(v: Version) {
      if (v.name === failOn) throw new Error(`cannot record ${v.name}`)
      const text = Object.keys(v.prints).sort().map((f) => fs.readFileSync(path.join(v.dir, f), 'utf8')).join(',')
      seen.push(`${v.name}:${text}`)
      const log = path.join(state, 'log')
      const before = fs.existsSync(log) ? fs.statSync(log).size : 0
      fs.appendFileSync(log, text)
      const run = await withLoad(() => runMeasured('true', []))
      return { run, storedBytes: fs.statSync(log).size - before }
    },
  }
}

function versions(root: string): Version[] {
  return ['one', 'three'].map((text, i) => {
    const dir = path.join(root, `v${i + 1}`)
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'f'), text)
    return { name: `v${i + 1}`, dir, prints: fingerprintBundle(dir) }
  })
}

test('every tool records every version at the same folder, in order', async () => {
  const root = tmpDir('ankagit-bench-series-')
  const a = copyingTool('a')
  const b = copyingTool('b')
  const r = await runSeries({ work: path.join(root, 'work'), versions: versions(root), tools: [a, b], repeat: 1, log: () => {} })
  assert.equal(a.seen, ['v1:one', 'v2:three'])
  assert.equal(b.seen, a.seen)
  assert.equal(r[0]!.versions.map((v) => [v.version, v.storedBytes]), [['v1', 3], ['v2', 5]])
  assert.is(r[0]!.versions[0]!.seconds!.values.length, 1)
})

test('repeats restore the state, so each run stores the same delta', async () => {
  const root = tmpDir('ankagit-bench-series-')
  const a = copyingTool('a')
  const r = await runSeries({ work: path.join(root, 'work'), versions: versions(root), tools: [a], repeat: 3, log: () => {} })
  assert.is(a.seen.length, 6)
  assert.equal(r[0]!.versions.map((v) => v.storedBytes), [3, 5])
  assert.is(r[0]!.versions[1]!.seconds!.values.length, 3)
  assert.is(fs.readFileSync(path.join(root, 'work', 'state', 'a', 'log'), 'utf8'), 'onethree')
})

test('a failing tool is reported and skipped; the others go on', async () => {
  const root = tmpDir('ankagit-bench-series-')
  const bad = copyingTool('bad', 'v1')
  const good = copyingTool('good')
  const r = await runSeries({ work: path.join(root, 'work'), versions: versions(root), tools: [bad, good], repeat: 1, log: () => {} })
  assert.match(r[0]!.error!, /v1: cannot record v1/)
  assert.equal(r[0]!.versions, [])
  assert.is(r[1]!.versions.length, 2)
})

test.run()
