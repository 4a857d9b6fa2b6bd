import fs from 'node:fs';
import path from 'node:path';
import type { MediaKind } from '../../shared/contract.js';
import { ApiError } from '../../shared/errors.js';
import type { ProjectSession } from '../core-context.js';
import type { VideoRow } from './video-repository.js';

export interface MediaFile {
  path: string;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.ogv': 'video/ogg',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The only way a media request becomes a file path: by the id of a video registered in the
 * open project. Requests never carry paths, so nothing else on disk can be reached.
 */
export function resolveMediaFile(session: ProjectSession, videoId: number, kind: MediaKind): MediaFile {
  const row = session.videos.get(videoId);
  if (!row) throw new ApiError('NOT_FOUND', `There is no video ${videoId} in this project.`);
  let file: string | null;
  if (kind === 'poster') {
    file = row.poster_path ? session.project.cachePath(row.poster_path) : null;
  } else if (row.playable === 1) {
    file = row.path;
  } else {
    file = row.proxy_state === 'ready' && row.proxy_path ? session.project.cachePath(row.proxy_path) : null;
  }
  if (!file) {
    const what = kind === 'poster' ? 'a poster' : 'a playable version';
    throw new ApiError('NOT_FOUND', `Video ${videoId} has no ${what} yet.`);
  }
  if (!fs.existsSync(file)) throw new ApiError('NOT_FOUND', `The file for video ${videoId} is missing: ${file}`);
  if (file === row.path) checkUnchanged(row, file);
  return { path: file, contentType: contentTypeFor(file) };
}

function changed(videoId: number, why: string): ApiError {
  return new ApiError(
    'CONFLICT',
    `Video ${videoId} changed on disk since it was imported (${why}): import it again or relink it.`,
  );
}

/**
 * Serves an original only while it is the file that was imported: a regular file of the size
 * (and modification time) recorded then. Whatever now sits at the path (another file moved there,
 * a symlink to something else) is refused. A symlink is followed only when a modification time
 * was recorded, so the file it reaches can be proved to be the one imported through it.
 */
function checkUnchanged(row: VideoRow, file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
    if (stat.isSymbolicLink()) {
      if (row.mtime_ms === null) throw changed(row.id, 'it is now a symbolic link');
      stat = fs.statSync(file);
    }
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError('NOT_FOUND', `The file for video ${row.id} is missing: ${file}`);
  }
  if (!stat.isFile()) throw changed(row.id, 'it is no longer a regular file');
  if (row.size !== null && stat.size !== row.size) {
    throw changed(row.id, `its size is ${stat.size} bytes, not ${row.size}`);
  }
  if (row.mtime_ms !== null && Math.abs(stat.mtimeMs - row.mtime_ms) >= 1) {
    throw changed(row.id, 'it was modified');
  }
}
