import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Core } from '../core/core.js';
import { MAX_UPLOAD_BYTES, downloadName } from '../shared/web-files.js';
import { sendJson } from './plain-response.js';
import { isFileBody, receiveBody, refuseUpload } from './upload-body.js';

const LIMIT_TEXT = `${MAX_UPLOAD_BYTES / (1024 * 1024)} MiB`;

function tooLarge(res: ServerResponse): void {
  refuseUpload(
    res,
    413,
    `The file is larger than ${LIMIT_TEXT}, the limit for an uploaded label file. Copy it to the server and choose it there instead.`,
  );
}

/**
 * Uploads tracked by the server that wrote them, so they can be removed when it stops; each lands
 * in its own random folder under the project's cache, keeping the person's file name (the import
 * guesses formats and finds an MMAction classes file by it).
 */
export class UploadFolders {
  private readonly folders = new Set<string>();

  /** POST /upload/<name>: the body is the file itself (application/octet-stream). */
  async handle(core: Core, rawPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      refuseUpload(res, 405, 'Files are uploaded with POST.');
      return;
    }
    let rawName: string;
    try {
      rawName = decodeURIComponent(rawPath.slice('/upload/'.length));
    } catch {
      refuseUpload(res, 400, 'Bad file name in the upload address.');
      return;
    }
    const name = downloadName.safeParse(rawName);
    if (!name.success) {
      refuseUpload(res, 400, name.error.issues[0]?.message ?? 'Bad file name.');
      return;
    }
    if (!isFileBody(req)) {
      refuseUpload(res, 415, 'Upload the file itself as the body (Content-Type: application/octet-stream).');
      return;
    }
    if (Number(req.headers['content-length'] ?? '0') > MAX_UPLOAD_BYTES) {
      tooLarge(res);
      return;
    }
    const session = core.currentSession();
    if (!session) {
      sendJson(res, 409, { error: { code: 'NO_PROJECT', message: 'Open a project before uploading label files to it.' } });
      return;
    }
    const folder = session.project.cachePath('uploads', crypto.randomBytes(24).toString('base64url'));
    fs.mkdirSync(folder, { recursive: true });
    this.folders.add(folder);
    const file = path.join(folder, name.data);
    const received = await receiveBody(req, res, file, MAX_UPLOAD_BYTES);
    if (received !== 'ok') {
      fs.rmSync(folder, { recursive: true, force: true });
      this.folders.delete(folder);
      if (received === 'too-large') tooLarge(res);
      return;
    }
    sendJson(res, 200, { result: { file, size: fs.statSync(file).size } });
  }

  close(): void {
    for (const folder of this.folders) fs.rmSync(folder, { recursive: true, force: true });
    this.folders.clear();
  }
}
