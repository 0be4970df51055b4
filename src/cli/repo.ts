/**
 * Opening the repository of the current directory for a CLI command (the one place that
 * decides where the command runs: cwd, or -C given before the verb via ANKAGIT_DIR).
 */
import { type Repository, openRepository } from '../repository.js'
import type { CliIo } from './io.js'

export function openCliRepository(io: CliIo): Promise<Repository> {
  return openRepository({ dir: io.env.ANKAGIT_DIR ?? io.cwd })
}
