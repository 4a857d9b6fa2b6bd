import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Core } from '../core/core.js';
import { isVideoFileName } from '../core/media/video-extensions.js';
import { downloadName, MAX_VIDEO_UPLOAD_BYTES, UPLOADED_VIDEOS_DIR } from '../shared/web-files.js';
import { sendJson } from './plain-response.js';
import { isFileBody, receiveBody, refuseUpload } from './upload-body.js';

const LIMIT_TEXT = `${MAX_VIDEO_UPLOAD_BYTES / 1024 ** 3} GiB`;

/** "a/b/c.mp4" from the address, each part a plain file name (no "..", no hidden parts), or why not. */
export function uploadedVideoPath(raw: string): { parts: string[] } | { error: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { error: 'Bad file name in the upload address.' };
  }
  const parts = decoded.split('/');
  if (parts.length > 16) return { error: 'That folder is nested too deep to upload.' };
  for (const part of parts) {
    const checked = downloadName.safeParse(part);
    if (!checked.success || part === '..') return { error: `${JSON.stringify(decoded)}: ${checked.error?.issues[0]?.message ?? 'not a file name'}` };
  }
  if (!isVideoFileName(parts[parts.length - 1]!)) {
    return { error: `${decoded} is not a video file (by its extension); only videos can be dropped on the Library.` };
  }
  return { parts };
}

/** `file.mp4`, else `file (2).mp4`, … : an upload never replaces a video already in the folder. */
function freeName(file: string): string {
  const ext = path.extname(file);
  const stem = file.slice(0, file.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? file : `${stem} (${n})${ext}`;
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/**
 * POST /upload-video/<relative path>: a video dropped on the Library in a browser, the body the file
 * itself. It is kept in the project folder (`uploaded-videos/`, the dropped folders' structure kept),
 * since the project refers to it from then on; the browser imports it next with videos:import.
 */
export async function handleVideoUpload(core: Core, rawPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    refuseUpload(res, 405, 'Videos are uploaded with POST.');
    return;
  }
  const target = uploadedVideoPath(rawPath.slice('/upload-video/'.length));
  if ('error' in target) {
    refuseUpload(res, 400, target.error);
    return;
  }
  if (!isFileBody(req)) {
    refuseUpload(res, 415, 'Upload the video itself as the body (Content-Type: application/octet-stream).');
    return;
  }
  if (Number(req.headers['content-length'] ?? '0') > MAX_VIDEO_UPLOAD_BYTES) {
    refuseUpload(res, 413, `${target.parts.join('/')} is larger than ${LIMIT_TEXT}, the limit for a video dropped in the browser. Copy it to the server and import it from there.`);
    return;
  }
  const session = core.currentSession();
  if (!session) {
    sendJson(res, 409, { error: { code: 'NO_PROJECT', message: 'Open a project before dropping videos on it.' } });
    return;
  }
  const file = freeName(path.join(session.project.dir, UPLOADED_VIDEOS_DIR, ...target.parts));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written under a hidden name and renamed once complete: an aborted upload never becomes a "video".
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial-${process.pid}`);
  const received = await receiveBody(req, res, partial, MAX_VIDEO_UPLOAD_BYTES);
  if (received === 'too-large') {
    refuseUpload(res, 413, `${target.parts.join('/')} is larger than ${LIMIT_TEXT}, the limit for a video dropped in the browser.`);
  }
  if (received !== 'ok') return;
  fs.renameSync(partial, file);
  sendJson(res, 200, { result: { file, size: fs.statSync(file).size } });
}
