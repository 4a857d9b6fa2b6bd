import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../core/core.js';
import { capText, type ErrorEnvelope } from '../shared/errors.js';
import { httpStatusFor } from './error-status.js';
import { sendJson } from './plain-response.js';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope,
  ) {
    super(envelope.error.message);
  }
}

function invalid(status: number, message: string): BodyError {
  return new BodyError(status, { error: { code: 'INVALID_PARAMS', message } });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) throw invalid(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES) throw invalid(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function isConnectionReset(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
}

function isJsonContentType(header: string | undefined): boolean {
  return header !== undefined && header.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export async function readParams(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  const contentType = req.headers['content-type'];
  // A bodiless POST (no params) may come without a Content-Type; anything else must be JSON.
  if (body.length === 0 && (contentType === undefined || isJsonContentType(contentType))) return {};
  if (!isJsonContentType(contentType)) {
    throw invalid(415, 'Send the parameters as JSON (Content-Type: application/json).');
  }
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw invalid(400, 'The request body is not valid JSON.');
  }
}

/** POST /api/<method>: the JSON body is the params, the answer is the core's envelope. */
export async function handleApi(core: Core, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendJson(res, 405, { error: { code: 'INVALID_PARAMS', message: 'API methods are called with POST.' } });
    return;
  }
  let params: unknown;
  try {
    params = await readParams(req);
  } catch (err) {
    if (err instanceof BodyError) {
      // Past the size limit the rest of the upload is not worth reading.
      if (err.status === 413) res.setHeader('Connection', 'close');
      sendJson(res, err.status, err.envelope);
      return;
    }
    if (req.readableAborted || isConnectionReset(err)) {
      // The client went away mid-upload (a closed tab, a cancelled request): routine, one line.
      console.error(`vssl serve: the upload to /api/${capText(method, 80)} was aborted by the client.`);
      res.destroy();
      return;
    }
    throw err;
  }
  const envelope = await core.invoke(method, params);
  if ('error' in envelope) {
    sendJson(res, httpStatusFor(envelope.error.code), envelope);
  } else {
    sendJson(res, 200, envelope);
  }
}

/** The method part of /api/<method>, decoded; null when it cannot be decoded. */
export function apiMethodFromPath(rawPath: string): string | null {
  try {
    return decodeURIComponent(rawPath.slice('/api/'.length));
  } catch {
    return null;
  }
}
