import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isConnectionReset } from './api-route.js';
import { sendJson } from './plain-response.js';

class TooLarge extends Error {}

/** Counts bytes through the stream and stops it past the limit. */
function sizeLimit(limit: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > limit) done(new TooLarge());
      else done(null, chunk);
    },
  });
}

/** An upload's refusal; past the size limit the rest of the body is not worth reading, so the connection closes. */
export function refuseUpload(res: ServerResponse, status: number, message: string): void {
  if (status === 413) res.setHeader('Connection', 'close');
  sendJson(res, status, { error: { code: 'INVALID_PARAMS', message } });
}

/** The body is the file itself: a type a cross-site form cannot send (it would need a CORS preflight we never grant). */
export function isFileBody(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === 'application/octet-stream';
}

/**
 * Streams the request body into `file` (created anew), at most `limit` bytes. On 'too-large' or 'aborted'
 * the file is gone; an aborted upload is logged in one line and its connection dropped.
 */
export async function receiveBody(req: IncomingMessage, res: ServerResponse, file: string, limit: number): Promise<'ok' | 'too-large' | 'aborted'> {
  try {
    await pipeline(req, sizeLimit(limit), fs.createWriteStream(file, { flags: 'wx' }));
    return 'ok';
  } catch (err) {
    fs.rmSync(file, { force: true });
    if (err instanceof TooLarge) return 'too-large';
    if (req.readableAborted || isConnectionReset(err)) {
      console.error('vssl serve: an upload was aborted by the client.');
      res.destroy();
      return 'aborted';
    }
    throw err;
  }
}
