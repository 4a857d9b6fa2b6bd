/** Error codes that cross the API boundary. Each one names a situation the UI can explain. */
export const apiErrorCodes = [
  'INVALID_PARAMS',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'NO_PROJECT',
  'PROJECT_EXISTS',
  'PROJECT_LOCKED',
  'PROJECT_DAMAGED',
  'PROJECT_TOO_NEW',
  'NOT_A_PROJECT',
  'UNSUPPORTED',
  'CONFLICT',
  'CANCELLED',
  'MEDIA_ERROR',
  'IO_ERROR',
  'INTERNAL',
] as const;

export type ApiErrorCode = (typeof apiErrorCodes)[number];

export interface ErrorEnvelope {
  error: { code: ApiErrorCode; message: string };
}

export interface ResultEnvelope<R> {
  result: R;
}

export type Envelope<R> = ResultEnvelope<R> | ErrorEnvelope;

/** An error meant for the person using the app: its message is shown as is. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** The most characters of caller input an error message quotes. */
export const MAX_QUOTED_CHARS = 200;

/**
 * Shortens `text` to `max` characters, ending in "…" when cut, so an error about a huge input
 * (a multi-megabyte key or name) does not send the whole input back.
 */
export function capText(text: string, max = MAX_QUOTED_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (apiErrorCodes as readonly string[]).includes(value);
}

export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    isApiErrorCode((error as { code?: unknown }).code) &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Rebuilds a real Error on the receiving side of the boundary. */
export function errorFromEnvelope(envelope: ErrorEnvelope): ApiError {
  return new ApiError(envelope.error.code, envelope.error.message);
}

/** Reads an envelope that arrived over a transport; anything malformed becomes an INTERNAL error. */
export function unwrapEnvelope<R>(value: unknown): R {
  if (isErrorEnvelope(value)) throw errorFromEnvelope(value);
  if (typeof value === 'object' && value !== null && 'result' in value) {
    return (value as ResultEnvelope<R>).result;
  }
  throw new ApiError('INTERNAL', 'The app answered with a malformed message.');
}
