import { ApiError } from '../../shared/errors.js';
import { timingFromProbe, type VideoTiming } from '../../shared/frame-time.js';
import type { VideoRow } from '../media/video-repository.js';

/** The frame timing of an imported video, or a clear refusal for one that cannot be labelled. */
export function timingOfVideo(row: VideoRow): VideoTiming {
  if (row.status === 'failed') {
    throw new ApiError('CONFLICT', `${row.name} could not be imported (${row.error ?? 'unknown reason'}).`);
  }
  const timing = timingFromProbe({
    fps: row.fps,
    avgFrameRate: row.avg_frame_rate,
    realFrameRate: row.real_frame_rate,
    frameCount: row.frame_count,
    startTime: row.start_time,
  });
  if (!timing) {
    throw new ApiError('CONFLICT', `${row.name} has no known frame rate or frame count, so it cannot be cut into clips.`);
  }
  return timing;
}

export function isLabellable(row: VideoRow): boolean {
  return row.status !== 'failed' && (row.frame_count ?? 0) > 0 && (row.fps ?? 0) > 0;
}
