/**
 * Injected into the CommonJS bundles by bundle-cli.ts, which replaces every import.meta.url with this
 * value: the URL of the bundle file the code runs in (CommonJS has no import.meta). Never imported.
 */
import { pathToFileURL } from 'node:url'

declare const __filename: string

export const ankagitModuleUrl = pathToFileURL(__filename).href
