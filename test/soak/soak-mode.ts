/**
 * Soak tests are the long variants of the crash, fuzz and concurrency tests: every hit of every crash
 * point, 25 times the fuzz runs, more concurrent rounds, and kills at seeded random moments. They run
 * from `npm run soak` (npm sets npm_lifecycle_event=soak) or with ANKAGIT_SOAK=1, and register no test
 * under a plain `npm test`, which runs every test file it finds.
 */
export function soakRequested(): boolean {
  return process.env.npm_lifecycle_event === 'soak' || process.env.ANKAGIT_SOAK === '1'
}

/** Switches the shared test modules to their soak variants, then loads them (each runs its own suite). */
export async function loadInSoakMode(modules: readonly string[]): Promise<void> {
  if (!soakRequested()) {
    console.log('soak tests skipped: run them with `npm run soak`')
    return
  }
  process.env.ANKAGIT_SOAK = '1'
  for (const m of modules) await import(m)
}
