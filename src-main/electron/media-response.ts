import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Core } from '../core/core.js';
import { rangeResponse } from '../core/media/http-range.js';
import { parseMediaRequest } from '../core/media/media-request.js';
import { ApiError } from '../shared/errors.js';
import { MEDIA_SCHEME } from './channels.js';

// Kept free of `electron` imports so it is tested in plain Node with real Request/Response objects.

/**
 * The page (file://) and the media (vssl-media://) are different origins: a <video crossorigin>
 * needs these for canvas reads of its frames. Only this app's session has the scheme at all.
 */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Range, Accept-Ranges, Content-Length',
};

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * vssl-media://media/<videoId>/<video|poster>: the desktop twin of web mode's /media route, with
 * the same Range handling. Only videos registered in the open project can be read.
 */
export function mediaResponse(core: Core, request: Request): Response {
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Media is read with GET or HEAD.');
  const url = new URL(request.url);
  if (url.host !== 'media') return text(404, `Media URLs look like ${MEDIA_SCHEME}://media/<videoId>/video.`);
  const parsed = parseMediaRequest(url.pathname.slice(1));
  if (!parsed.ok) return text(parsed.status, parsed.message);
  let file: { path: string; contentType: string };
  let size: number;
  try {
    file = core.mediaFile(parsed.videoId, parsed.kind);
    size = fs.statSync(file.path).size;
  } catch (err) {
    // No project open, or the file changed on disk since it was imported: a conflict, as web mode answers.
    const conflict = err instanceof ApiError && (err.code === 'NO_PROJECT' || err.code === 'CONFLICT');
    return text(conflict ? 409 : 404, err instanceof Error ? err.message : 'Not found.');
  }
  const answer = rangeResponse(request.headers.get('range'), size, file.contentType);
  const headers = { ...answer.headers, ...CORS_HEADERS };
  if (request.method === 'HEAD' || !answer.body) return new Response(null, { status: answer.status, headers });
  const stream = fs.createReadStream(file.path, { start: answer.body.start, end: answer.body.end });
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status: answer.status, headers });
}
