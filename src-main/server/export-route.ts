import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import type { Core } from '../core/core.js';
import { capText } from '../shared/errors.js';
import { downloadName, downloadableExports, isDownloadableExport } from '../shared/web-files.js';
import { BodyError, readParams } from './api-route.js';
import type { DownloadRegistry } from './downloads.js';
import { httpStatusFor } from './error-status.js';
import { sendJson } from './plain-response.js';

const exportBody = z
  .object({
    name: downloadName,
    /** The export method's own params, minus where to write. */
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

function invalid(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { code: 'INVALID_PARAMS', message } });
}

/**
 * POST /export/<method> with `{"name": "labels.csv", "params": {...}}`: runs the export into a
 * fresh download folder and answers `{"result": {"report", "download"}}`; the browser then fetches
 * the files from /download/<id>/<name>. The core validates the params as for any API call.
 */
export async function handleExport(
  core: Core,
  downloads: DownloadRegistry,
  rawPath: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    invalid(res, 405, 'Exports are started with POST.');
    return;
  }
  let method: string;
  try {
    method = decodeURIComponent(rawPath.slice('/export/'.length));
  } catch {
    invalid(res, 400, 'Bad export name.');
    return;
  }
  if (!isDownloadableExport(method)) {
    sendJson(res, 404, {
      error: {
        code: 'UNKNOWN_METHOD',
        message: `${JSON.stringify(capText(method, 80))} cannot be downloaded; these can: ${Object.keys(downloadableExports).join(', ')}.`,
      },
    });
    return;
  }
  let body: z.infer<typeof exportBody>;
  try {
    const parsed = exportBody.safeParse(await readParams(req));
    if (!parsed.success) {
      invalid(res, 400, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
      return;
    }
    body = parsed.data;
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    sendJson(res, err.status, err.envelope);
    return;
  }
  const target = downloadableExports[method];
  for (const key of [target, 'classesFile']) {
    if (key in body.params) {
      invalid(res, 400, `A download picks its own ${key === 'dir' ? 'folder' : 'file'}: leave "${key}" out of the params.`);
      return;
    }
  }
  if (!core.currentSession()) {
    sendJson(res, 409, { error: { code: 'NO_PROJECT', message: 'Open a project before exporting from it.' } });
    return;
  }
  let prepared: ReturnType<DownloadRegistry['prepare']>;
  try {
    prepared = downloads.prepare(core);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    sendJson(res, 500, { error: { code: 'IO_ERROR', message: `Cannot make a download folder in the project's cache (${detail}).` } });
    return;
  }
  const envelope = await core.invoke(method, { ...body.params, [target]: path.join(prepared.folder, body.name) });
  if ('error' in envelope) {
    downloads.discard(prepared);
    sendJson(res, httpStatusFor(envelope.error.code), envelope);
    return;
  }
  sendJson(res, 200, { result: { report: envelope.result, download: downloads.register(prepared) } });
}
