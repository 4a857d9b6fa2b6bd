/**
 * HTTP Range logic shared by the web server's /media route and the Electron media protocol, so
 * seeking behaves the same on both. Only single byte ranges are honoured; a multi-range request
 * gets the whole file, which RFC 9110 allows (browsers' media players never ask for several).
 */

export type RangeRequest =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/** Reads a `Range` header against a file of `size` bytes. `end` is inclusive. */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header) return { kind: 'full' };
  const match = SINGLE_RANGE.exec(header.trim());
  // A malformed or multi-range header is ignored, as the RFC says a server may.
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start) || start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(end) || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

export interface RangeResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** Bytes to send, inclusive; null for a 416. */
  body: { start: number; end: number } | null;
}

/** Status, headers and byte span for answering a (possibly ranged) request for a file. */
export function rangeResponse(header: string | null | undefined, size: number, contentType: string): RangeResponse {
  const range = parseRange(header, size);
  const common = { 'Accept-Ranges': 'bytes', 'Content-Type': contentType };
  if (range.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...common, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' }, body: null };
  }
  if (range.kind === 'partial') {
    return {
      status: 206,
      headers: {
        ...common,
        'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
        'Content-Length': String(range.end - range.start + 1),
      },
      body: { start: range.start, end: range.end },
    };
  }
  return {
    status: 200,
    headers: { ...common, 'Content-Length': String(size) },
    body: size > 0 ? { start: 0, end: size - 1 } : null,
  };
}
