import path from 'node:path';
import { ApiError } from '../../../../shared/errors.js';
import type { VideoTiming } from '../../../../shared/frame-time.js';
import type { VideoRepository, VideoRow } from '../../../media/video-repository.js';
import { timingOfVideo } from '../../../labels/video-timing.js';

/** How the core times a video's frames (ClipService.timingOf after prepareTiming, for exact VFR times). */
export type TimingSource = (row: VideoRow) => VideoTiming;

/** A video whose frames can be marked: its row and frame timing. */
export interface MarkVideo {
  row: VideoRow;
  timing: VideoTiming;
}

/** Why a video's frames cannot be marked, or null when they can. */
export function unmarkableReason(row: VideoRow): string | null {
  if (row.status === 'failed') return `it could not be imported (${row.error ?? 'unknown reason'})`;
  if (!row.frame_count || row.frame_count <= 0) return 'its frame count is unknown (the probe found none)';
  if (!row.fps && !row.avg_frame_rate && !row.real_frame_rate) return 'its frame rate is unknown';
  return null;
}

export function videoName(row: VideoRow): string {
  return row.name || path.basename(row.path);
}

/** The video and its timing, or NOT_FOUND / CONFLICT saying why its frames cannot be marked. */
export function markVideo(videos: VideoRepository, videoId: number, timing: TimingSource = timingOfVideo): MarkVideo {
  const row = videos.get(videoId);
  if (!row) throw new ApiError('NOT_FOUND', `There is no video ${videoId}.`);
  const reason = unmarkableReason(row);
  if (reason) throw new ApiError('CONFLICT', `The frames of ${videoName(row)} cannot be marked: ${reason}.`);
  return { row, timing: timing(row) };
}

/** Frames [start, end) for people: 0-based and inclusive, as the timeline shows them. */
export function framesText(start: number, end: number): string {
  return end - start === 1 ? `frame ${start}` : `frames ${start}–${end - 1}`;
}
