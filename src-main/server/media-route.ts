import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../core/core.js';
import { rangeResponse } from '../core/media/http-range.js';
import { parseMediaRequest } from '../core/media/media-request.js';
import { ApiError } from '../shared/errors.js';
import { sendText } from './plain-response.js';

/**
 * GET/HEAD /media/<videoId>/<video|poster>. The request names a video by id only; the core
 * turns ids of videos registered in the open project into files, so no path reaches the disk.
 */
export function handleMedia(core: Core, rawPath: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Media is read with GET or HEAD.', { Allow: 'GET, HEAD' });
    return;
  }
  const request = parseMediaRequest(rawPath.slice('/media/'.length));
  if (!request.ok) {
    sendText(res, request.status, request.message);
    return;
  }
  let file: { path: string; contentType: string };
  let size: number;
  try {
    file = core.mediaFile(request.videoId, request.kind);
    size = fs.statSync(file.path).size;
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'NO_PROJECT' || err.code === 'CONFLICT')) sendText(res, 409, err.message);
    else if (err instanceof ApiError) sendText(res, 404, err.message);
    else sendText(res, 404, `The file for video ${request.videoId} cannot be read.`);
    return;
  }
  const answer = rangeResponse(req.headers.range, size, file.contentType);
  res.writeHead(answer.status, { ...answer.headers, 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD' || !answer.body) {
    res.end();
    return;
  }
  const stream = fs.createReadStream(file.path, { start: answer.body.start, end: answer.body.end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
