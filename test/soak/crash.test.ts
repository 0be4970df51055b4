/** Soak: kill -9 at every hit of every crash point of commit, checkout and gc (see test/crash/). */
import { loadInSoakMode } from './soak-mode.js'

await loadInSoakMode(['../crash/commit.test.js', '../crash/checkout.test.js', '../crash/gc.test.js'])
