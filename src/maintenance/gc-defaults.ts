/**
 * gc's defaults, apart from the collector so the CLI can show them without loading it.
 */

/** Packs and temp files younger than this are never touched (seconds): far longer than a commit or push takes. */
export const GRACE_SECONDS_DEFAULT = 3600
