import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { backendSuite } from '../../suites/backend.js'
import { MemoryBackend } from '../../../src/store/memory.js'
import { LocalBackend } from '../../../src/store/local.js'

backendSuite('memory', async () => new MemoryBackend())
backendSuite(
  'local',
  async () => new LocalBackend(fs.mkdtempSync(path.join(os.tmpdir(), 'ankagit-backend-'))),
  async (b) => fs.rmSync((b as LocalBackend).root, { recursive: true, force: true }),
)
