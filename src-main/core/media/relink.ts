import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/errors.js';
import type { ProjectSession } from '../core-context.js';
import { sampledContentHash } from './content-hash.js';
import { fileErrorReason } from './media-failure.js';
import type { VideoRepository, VideoRow } from './video-repository.js';
import { statusWhenPresent } from './video-status.js';

/** Points a row at the file's new place; everything learned from its content stays. */
export function moveRow(videos: VideoRepository, row: VideoRow, file: string, stat: Stats): VideoRow {
  return videos.update(row.id, {
    path: file,
    name: path.basename(file),
    size: stat.size,
    mtime_ms: stat.mtimeMs,
    status: row.status === 'failed' ? 'failed' : statusWhenPresent(row),
  });
}

/**
 * `videos:relink`: the person says where a moved video is now. Accepted only when the file there
 * has the same content hash, so labels never end up attached to a different video.
 */
export async function relinkVideo(session: ProjectSession, id: number, newPath: string): Promise<VideoRow> {
  const row = session.videos.get(id);
  if (!row) throw new ApiError('NOT_FOUND', `There is no video ${id} in this project.`);
  const file = path.resolve(newPath);
  let stat: Stats;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    const reason = fileErrorReason(err);
    throw new ApiError(reason === 'file not found' ? 'NOT_FOUND' : 'IO_ERROR', `Cannot relink to ${file}: ${reason}.`);
  }
  if (!stat.isFile()) throw new ApiError('INVALID_PARAMS', `Cannot relink to ${file}: it is not a file.`);
  if (!row.hash) {
    throw new ApiError(
      'CONFLICT',
      `Video ${id} ("${row.name}") was never read, so there is nothing to compare ${file} with: import that file instead.`,
    );
  }
  let hash: string;
  try {
    hash = await sampledContentHash(file);
  } catch (err) {
    throw new ApiError('IO_ERROR', `Cannot read ${file}: ${fileErrorReason(err)}.`);
  }
  if (hash !== row.hash) {
    throw new ApiError(
      'CONFLICT',
      `${file} is not the same video as "${row.name}": its content differs. Import it as a new video instead.`,
    );
  }
  const other = session.videos.byPath(file);
  if (other && other.id !== id) {
    throw new ApiError('CONFLICT', `${file} is already in this project as video ${other.id} ("${other.name}").`);
  }
  return moveRow(session.videos, row, file, stat);
}
