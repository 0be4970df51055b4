/** Soak: the concurrency tests of test/e2e/concurrency.test.ts with more rounds. */
import { loadInSoakMode } from './soak-mode.js'

await loadInSoakMode(['../e2e/concurrency.test.js'])
