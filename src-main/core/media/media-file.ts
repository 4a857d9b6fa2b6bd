import fs from 'node:fs';
import path from 'node:path';
import type { MediaKind } from '../../shared/contract.js';
import { ApiError } from '../../shared/errors.js';
import type { ProjectSession } from '../core-context.js';

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
  return { path: file, contentType: contentTypeFor(file) };
}
