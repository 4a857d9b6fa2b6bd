import type { VideoDto } from '../../../src-main/shared/dto.js';
import {
  frameAtTime,
  frameDuration,
  nearestBoundary,
  playerTimeFromVideo,
  timeOfFrame,
  timingFromProbe,
  videoTimeFromPlayer,
  type VideoTiming,
} from '../../../src-main/shared/frame-time.js';

/** The frame timing the core cut this video's clips with, or null when it cannot be labelled. */
export function timingOf(video: VideoDto): VideoTiming | null {
  return video.status === 'failed' ? null : timingFromProbe(video);
}

export function isLabellable(video: VideoDto): boolean {
  return timingOf(video) !== null;
}

/**
 * Where to seek the player to show `frame`: the middle of the frame, in presentation time.
 * Landing mid-frame keeps a boundary's float noise from showing the frame before.
 */
export function seekTimeOfFrame(timing: VideoTiming, frame: number): number {
  const clamped = clampFrame(timing, frame);
  return playerTimeFromVideo(timing, timeOfFrame(timing, clamped) + frameDuration(timing, clamped) / 2);
}

/** The frame the player shows at a presentation time it reported after one of our mid-frame seeks. */
export function frameAtPlayerTime(timing: VideoTiming, playerTime: number): number {
  return frameAtTime(timing, videoTimeFromPlayer(timing, playerTime));
}

/**
 * The frame whose presentation timestamp is `mediaTime` (requestVideoFrameCallback's): such a
 * time stands on a frame start, so the nearest boundary is exact even with timebase rounding.
 */
export function frameOfPresentedTime(timing: VideoTiming, mediaTime: number): number {
  return clampFrame(timing, nearestBoundary(timing, videoTimeFromPlayer(timing, mediaTime)));
}

export function clampFrame(timing: VideoTiming, frame: number): number {
  return Math.min(Math.max(0, timing.frameCount - 1), Math.max(0, Math.round(frame)));
}
