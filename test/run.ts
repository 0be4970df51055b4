/**
 * Test runner: runs every compiled test file (dist/test/**\/*.test.js) in its own node process,
 * two at a time (the machines have two cores), and sums uvu's totals into one closing line
 * "N passed, M failed" that CI reads. Exits non-zero on any failure, and when no test ran.
 *
 *   node dist/test/run.js [FILTER...]    FILTER: substrings of test file paths, e.g. "unit/" or "e2e/clone"
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleCli } from '../tools/bundle-cli.js'

const here = path.dirname(fileURLToPath(import.meta.url))

function findTests(dir: string): string[] {
  const out: string[] = []
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...findTests(p))
    else if (e.name.endsWith('.test.js')) out.push(p)
  }
  return out.sort()
}

interface Result { file: string; passed: number; failed: number; skipped: number; code: number; output: string; ms: number }

function runOne(file: string): Promise<Result> {
  const t0 = Date.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('close', (code) => {
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '')
      const num = (label: string) => [...plain.matchAll(new RegExp(`${label}:\\s+(\\d+)`, 'g'))].reduce((a, m) => a + Number(m[1]), 0)
      const total = num('Total') // uvu's Total leaves out skipped tests
      const passed = num('Passed')
      const skipped = num('Skipped')
      let failed = total - passed
      // A file that crashed or exited non-zero without reporting counts as one failure.
      if ((code ?? 1) !== 0 && failed === 0) failed = 1
      resolve({ file, passed, failed, skipped, code: code ?? 1, output: plain, ms: Date.now() - t0 })
    })
  })
}

async function main(): Promise<void> {
  // End-to-end tests spawn the bundled CLI (dist/cli/ankagit.js); bundling what tsc emitted last means
  // they never run an older bundle than the code under test (esbuild takes ~0.1 s).
  await bundleCli()
  const filters = process.argv.slice(2)
  const files = findTests(here).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  const jobs = Number(process.env.ANKAGIT_TEST_JOBS ?? 2)
  const results: Result[] = []
  let next = 0
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < files.length) {
      const file = files[next++]!
      const r = await runOne(file)
      results.push(r)
      const rel = path.relative(here, file)
      const status = r.failed ? 'FAIL' : 'ok  '
      console.log(`${status} ${rel}  (${r.passed} passed, ${r.failed} failed, ${(r.ms / 1000).toFixed(1)}s)`)
      if (r.failed) console.log(r.output.split('\n').map((l) => '     | ' + l).join('\n'))
      // Tests that measure (crash points, fuzz inputs, concurrent clients) print "... figures: ..."
      // lines; CI's log keeps them, so the figures quoted for a run are the ones that run measured.
      else for (const line of r.output.split('\n')) if (/figures: /.test(line)) console.log(`     ${line.replace(/^.*?(\S+ figures: )/, '$1')}`)
    }
  }))
  const passed = results.reduce((a, r) => a + r.passed, 0)
  const failed = results.reduce((a, r) => a + r.failed, 0)
  const skipped = results.reduce((a, r) => a + r.skipped, 0)
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  if (failed > 0 || passed === 0) process.exitCode = 1
}

await main()
