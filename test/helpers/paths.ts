/** Paths of the checkout the tests run from (compiled tests live in dist/test/...). */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(): string {
  for (let d = path.dirname(fileURLToPath(import.meta.url)); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'src'))) return d
    if (path.dirname(d) === d) throw new Error('package root not found')
  }
}

export const ROOT = findRoot()
export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js')
export const FIXTURES = path.join(ROOT, 'test', 'fixtures')
