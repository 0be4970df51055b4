/** Soak: the decoder fuzzing of test/fuzz/ with 25 times the runs. */
import { loadInSoakMode } from './soak-mode.js'

await loadInSoakMode(['../fuzz/objects.test.js', '../fuzz/pack.test.js', '../fuzz/local-files.test.js'])
