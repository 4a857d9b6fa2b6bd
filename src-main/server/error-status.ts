import type { ApiErrorCode } from '../shared/errors.js';

const STATUS: Record<ApiErrorCode, number> = {
  INVALID_PARAMS: 400,
  UNKNOWN_METHOD: 404,
  NOT_FOUND: 404,
  NO_PROJECT: 409,
  PROJECT_EXISTS: 409,
  PROJECT_LOCKED: 423,
  CONFLICT: 409,
  CANCELLED: 409,
  PROJECT_DAMAGED: 422,
  PROJECT_TOO_NEW: 422,
  NOT_A_PROJECT: 422,
  MEDIA_ERROR: 422,
  IO_ERROR: 422,
  UNSUPPORTED: 501,
  INTERNAL: 500,
};

/** The HTTP status that goes with an API error code; the body always carries the envelope. */
export function httpStatusFor(code: ApiErrorCode): number {
  return STATUS[code];
}
