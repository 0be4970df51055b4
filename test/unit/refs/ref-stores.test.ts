import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { refStoreSuite } from '../../suites/ref-store.js'
import { FileRefStore } from '../../../src/refs/file-ref-store.js'
import { MemoryRefStore } from '../../../src/refs/memory-ref-store.js'

refStoreSuite('memory', async (opts) => new MemoryRefStore(opts))
refStoreSuite(
  'file',
  // A long lock wait: on a loaded machine the concurrency cases must queue, not time out.
  async (opts) => new FileRefStore(fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-refs-')), { ...opts, lockTimeoutMs: 20_000 }),
  async (s) => fs.rmSync((s as FileRefStore).dir, { recursive: true, force: true }),
)
