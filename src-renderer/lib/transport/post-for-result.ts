import { ApiError, errorFromEnvelope, isErrorEnvelope, unwrapEnvelope } from '../../../src-main/shared/errors.js';

const UNREACHABLE = 'Is `vssl serve` still running?';

/** The result of the server's answer `{result}` or `{error}`; anything else explained from its HTTP status. */
export function resultOfAnswer<R>(status: number, text: string, what: string): R {
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // Not an envelope: explained below from the status.
  }
  if (isErrorEnvelope(body)) throw errorFromEnvelope(body);
  if (status === 401 || status === 403) {
    throw new ApiError('IO_ERROR', `The server refused this page (HTTP ${status}): open the exact URL, with its token, that "vssl serve" printed.`);
  }
  if (body === undefined) throw new ApiError('INTERNAL', `The server answered ${what} with HTTP ${status}: ${text.slice(0, 200)}`);
  return unwrapEnvelope<R>(body);
}

export function unreachable(reason: string): ApiError {
  return new ApiError('IO_ERROR', `Cannot reach the VSSL server (${reason}). ${UNREACHABLE}`);
}

/** POSTs to a path relative to the page (so a proxy's path prefix holds) and returns the answer's result. */
export async function postForResult<R>(url: string, init: { headers: Record<string, string>; body: BodyInit }, what: string): Promise<R> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', credentials: 'same-origin', ...init });
  } catch (err) {
    throw unreachable(err instanceof Error ? err.message : String(err));
  }
  return resultOfAnswer<R>(response.status, await response.text(), what);
}
