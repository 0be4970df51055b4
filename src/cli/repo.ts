/**
 * Opening the repository of the current directory for a CLI command (the one place that
 * decides where the command runs: cwd, or ANKAGIT_DIR). The repository code loads on first use, so
 * `--help` and `--version` load no storage code.
 */
import type { Repository } from '../repository.js'
import type { CliIo } from './io.js'

export async function openCliRepository(io: CliIo): Promise<Repository> {
  const { openRepository } = await import('../repository.js')
  return openRepository({ dir: io.env.ANKAGIT_DIR ?? io.cwd })
}
