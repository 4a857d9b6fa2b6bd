import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../../shared/errors.js';
import { clipRefOfRow, type ClipRef } from '../../clips/clip-ref.js';

interface ClipVideoRow {
  clip_id: number;
  video_id: number;
  video_name: string;
  video_path: string;
  video_hash: string | null;
  fps: number | null;
  status: string;
  error: string | null;
  start_frame: number;
  end_frame: number;
  start_sec: number;
  end_sec: number;
}

export interface ProjectClip {
  ref: ClipRef;
  videoId: number;
}

/** A project clip as the engine decodes it, or a clear error when it or its video cannot be decoded. */
export function projectClipRef(db: Database, clipId: number): ProjectClip {
  const row = db
    .prepare(
      `SELECT c.id AS clip_id, v.id AS video_id, v.name AS video_name, v.path AS video_path, v.hash AS video_hash,
              v.fps, v.status, v.error, c.start_frame, c.end_frame, c.start_sec, c.end_sec
       FROM clips c JOIN videos v ON v.id = c.video_id WHERE c.id = ?`,
    )
    .get(clipId) as ClipVideoRow | undefined;
  if (!row) throw new ApiError('NOT_FOUND', `There is no clip ${clipId}.`);
  if (row.status !== 'ready' || row.video_hash === null || row.fps === null) {
    const why = row.status === 'missing' ? 'its file is missing (relink it in the Library)' : `it is ${row.status}`;
    throw new ApiError('CONFLICT', `Clip ${clipId} cannot be shown: its video ${row.video_name} is not ready, ${why}${row.error ? ` (${row.error})` : ''}.`);
  }
  return { videoId: row.video_id, ref: clipRefOfRow({ ...row, video_hash: row.video_hash, fps: row.fps }) };
}
