/**
 * Everything the engine needs to find and decode one clip, without a database:
 * the training worker and `vssl model predict` get these instead of rows.
 */
export interface ClipRef {
  /** The project's clip id; 0 for clips of videos outside a project. */
  clipId: number;
  videoPath: string;
  /** Content hash of the video (cache key); for videos outside a project, any stable id. */
  videoHash: string;
  /** Frames [startFrame, endFrame), 0-based from the first decoded frame. */
  startFrame: number;
  endFrame: number;
  /** The same interval in seconds from the first frame. */
  startSec: number;
  endSec: number;
  /** The video's average frame rate (frames per second). */
  fps: number;
}

/** The columns of a clips ⋈ videos row a ClipRef is made of (hash and fps known: the video is ready). */
export interface ClipRefRow {
  clip_id: number;
  video_path: string;
  video_hash: string;
  fps: number;
  start_frame: number;
  end_frame: number;
  start_sec: number;
  end_sec: number;
}

export function clipRefOfRow(row: ClipRefRow): ClipRef {
  return {
    clipId: row.clip_id,
    videoPath: row.video_path,
    videoHash: row.video_hash,
    startFrame: row.start_frame,
    endFrame: row.end_frame,
    startSec: row.start_sec,
    endSec: row.end_sec,
    fps: row.fps,
  };
}
