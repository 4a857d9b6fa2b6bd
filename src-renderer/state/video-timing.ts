import type { VideoTimingDto } from '../../src-main/shared/dto.js';
import type { VideoTiming } from '../../src-main/shared/frame-time.js';
import { api } from '../lib/api.js';
import { toasts } from './toasts.svelte.js';

/**
 * A video's exact frame timing (per-frame times when its rate varies), as the core cut its clips
 * with: the one place the renderer asks 'clips:timing' for it, for the Label, Review and Anomaly
 * views alike. Null when it could not be read; the person is told, unless `stillShown()` says the
 * view has moved on to another video meanwhile. Callers check that again before they keep it.
 */
export async function loadVideoTiming(videoId: number, stillShown: () => boolean = () => true): Promise<VideoTiming | null> {
  try {
    return toVideoTiming(await api.invoke('clips:timing', { videoId }));
  } catch (err) {
    if (stillShown()) toasts.error('Could not read the video’s frame timing', err);
    return null;
  }
}

/** The contract sends null for a constant frame rate; the frame maths take no frameTimes then. */
function toVideoTiming(dto: VideoTimingDto): VideoTiming {
  return {
    fps: dto.fps,
    frameCount: dto.frameCount,
    startTime: dto.startTime,
    ...(dto.frameTimes ? { frameTimes: dto.frameTimes } : {}),
  };
}
