/**
 * Where this package is installed: the nearest directory above this module whose package.json names
 * ankagit. The same answer whether the code runs compiled (dist/src/...), bundled (dist/cli/), as
 * source, or from an installed node_modules/ankagit; the native addon and the version are found from it.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface PackageInfo {
  root: string
  version: string
}

let found: PackageInfo | null | undefined

/** This package's root and version, or null when no package.json above names it. */
export function packageInfo(): PackageInfo | null {
  if (found !== undefined) return found
  found = null
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown }
      if (pkg.name === 'ankagit') return (found = { root: dir, version: String(pkg.version) })
    } catch {
      // No package.json here, or not JSON: keep climbing.
    }
    if (path.dirname(dir) === dir) return found
  }
}
