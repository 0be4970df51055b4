/**
 * The shape every compared tool takes in a series of versions: make an empty store, then record
 * each version shown at one folder and say what that cost. Tools that keep state do it under the
 * state folder they are given, so the bench can copy it aside and restore it to repeat a run.
 */
import type { Version } from './presented-tree.js'
import type { LoadedRun } from './step.js'

export interface VersionCost {
  /** The measured run; absent for a simulation, which has no honest wall time. */
  run?: LoadedRun
  /** Bytes this version added to the tool's store (for a mirror such as rsync: undefined). */
  storedBytes?: number
  /** Bytes sending this version to a peer that holds the earlier ones costs. */
  wireBytes?: number
}

export interface BackupTool {
  /** Key in the JSON, e.g. 'restic'. */
  id: string
  /** Name with the parameters that matter, e.g. 'restic 0.14 (CDC ~1 MiB, zstd auto)'. */
  label: string
  /** How the wire figure is obtained, for the report. */
  wireMethod: string
  /** Makes the empty store; not timed. */
  init(stateDir: string): Promise<void>
  /** Records the version shown at `v.dir` (always the same folder; v.prints says what it holds). */
  record(v: Version): Promise<VersionCost>
}
