import { ApiError } from '../../shared/errors.js';
import { parseFrameRate, type VideoTiming } from '../../shared/frame-time.js';
import type { VideoRow } from '../media/video-repository.js';

/** The frame timing of an imported video, or a clear refusal for one that cannot be labelled. */
export function timingOfVideo(row: VideoRow): VideoTiming {
  const fps = row.fps ?? parseFrameRate(row.avg_frame_rate) ?? parseFrameRate(row.real_frame_rate);
  if (row.status === 'failed') {
    throw new ApiError('CONFLICT', `${row.name} could not be imported (${row.error ?? 'unknown reason'}).`);
  }
  if (!fps || !row.frame_count || row.frame_count <= 0) {
    throw new ApiError('CONFLICT', `${row.name} has no known frame rate or frame count, so it cannot be cut into clips.`);
  }
  return { fps, frameCount: row.frame_count, startTime: row.start_time ?? 0 };
}

export function isLabellable(row: VideoRow): boolean {
  return row.status !== 'failed' && (row.frame_count ?? 0) > 0 && (row.fps ?? 0) > 0;
}
