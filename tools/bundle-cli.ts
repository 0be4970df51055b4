/**
 * Bundles the compiled command line (dist/src/cli/main.js) and its worker thread entry into
 * dist/cli/ankagit.js and dist/cli/worker.js, CommonJS files holding ankagit's own code only
 * (dependencies stay in node_modules, loaded by require as npm installed them).
 *
 * Why: every command pays Node's start-up, and loading ~70 ES modules one by one through Node 20's ESM
 * loader added 40-60 ms more to it. One CommonJS file, whose modules reached only by a dynamic
 * import() run only when imported, took a commit with nothing to do from ~150 to ~115 ms (node -e 0:
 * ~70 ms on the same machine). The library (import 'ankagit') stays the unbundled ES modules in dist/src.
 *
 * Run by `npm run build` after tsc, and by the test runner before any test, so tests never spawn a stale bundle.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

/** The repository root: this file is compiled to dist/tools/bundle-cli.js. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BUNDLE_DIR = path.join(ROOT, 'dist', 'cli')
export const CLI_BUNDLE = path.join(BUNDLE_DIR, 'ankagit.js')

export async function bundleCli(): Promise<void> {
  fs.mkdirSync(BUNDLE_DIR, { recursive: true })
  // The package is "type": "module"; these .js files are CommonJS, and the nearest package.json says so.
  fs.writeFileSync(path.join(BUNDLE_DIR, 'package.json'), '{ "type": "commonjs" }\n')
  await build({
    entryPoints: {
      ankagit: path.join(ROOT, 'dist', 'src', 'cli', 'main.js'),
      // ThreadPool starts new URL('./worker.js', import.meta.url): beside the bundle, that is this one.
      worker: path.join(ROOT, 'dist', 'src', 'threads', 'worker.js'),
    },
    outdir: BUNDLE_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    // CommonJS has no import.meta: each file gets its own URL, so paths resolve from where it lies.
    define: { 'import.meta.url': 'ankagitModuleUrl' },
    inject: [path.join(ROOT, 'dist', 'tools', 'module-url.js')],
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  })
  fs.chmodSync(CLI_BUNDLE, 0o755)
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleCli()
}
