/**
 * Exit statuses, stable across versions (README § Exit codes lists the same table).
 */
import type { ErrorCode } from '../errors.js'

export const EXIT_OK = 0
export const EXIT_ERROR = 1
export const EXIT_USAGE = 2

export const EXIT_BY_CODE: Record<ErrorCode, number> = {
  EINVALID: 2,
  ENOREPO: 3,
  ELOCKED: 4,
  EREFCONFLICT: 5,
  ECORRUPT: 6,
  EREMOTE: 7,
  EPROTOCOL: 7,
  EAUTH: 8,
  EDIRTY: 9,
  ENOTFOUND: 10,
  ENOSPACE: 11,
  ENOCHANGE: 1,
  EABORT: 130,
}
