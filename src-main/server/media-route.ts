import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../core/core.js';
import { rangeResponse } from '../core/media/http-range.js';
import type { MediaKind } from '../shared/contract.js';
import { ApiError } from '../shared/errors.js';
import { httpStatusFor } from './error-status.js';
import { sendText } from './plain-response.js';

const MEDIA_PATH = /^\/media\/([^/]*)\/([^/]*)$/;
const POSITIVE_INTEGER = /^[1-9][0-9]{0,15}$/;
const KINDS: readonly MediaKind[] = ['video', 'poster'];

/**
 * GET/HEAD /media/<videoId>/<video|poster>. The request names a video by id only; the core
 * turns ids of videos registered in the open project into files, so no path reaches the disk.
 */
export function handleMedia(core: Core, rawPath: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Media is read with GET or HEAD.', { Allow: 'GET, HEAD' });
    return;
  }
  const match = MEDIA_PATH.exec(rawPath);
  if (!match) {
    sendText(res, 404, 'Media URLs look like /media/<videoId>/video or /media/<videoId>/poster.');
    return;
  }
  const [, rawId = '', rawKind = ''] = match;
  const id = Number(rawId);
  if (!POSITIVE_INTEGER.test(rawId) || !Number.isSafeInteger(id)) {
    sendText(res, 400, 'A video id is a positive whole number.');
    return;
  }
  const kind = KINDS.find((k) => k === rawKind);
  if (!kind) {
    sendText(res, 404, 'Media kinds are "video" and "poster".');
    return;
  }
  let file: { path: string; contentType: string };
  let size: number;
  try {
    file = core.mediaFile(id, kind);
    size = fs.statSync(file.path).size;
  } catch (err) {
    if (err instanceof ApiError) {
      sendText(res, httpStatusFor(err.code) === 409 ? 409 : 404, err.message);
      return;
    }
    sendText(res, 404, `The file for video ${id} cannot be read.`);
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
