import type { Core } from '../../core/core.js';
import { timeOfFrame, type VideoTiming } from '../../shared/frame-time.js';

/** The video's frame timing as the project cut it (exact for variable frame rates). */
export async function timingFor(core: Core, videoId: number): Promise<VideoTiming> {
  const dto = await core.call('clips:timing', { videoId });
  return {
    fps: dto.fps,
    frameCount: dto.frameCount,
    startTime: dto.startTime,
    ...(dto.frameTimes ? { frameTimes: dto.frameTimes } : {}),
  };
}

/** Seconds from the first frame at which `frame` starts. */
export function secondsOfFrame(timing: VideoTiming, frame: number): number {
  return timeOfFrame(timing, frame);
}
