import { frameAtTime, timeOfFrame, type VideoTiming } from '../../../shared/frame-time.js';
import type { ClipRef } from './clip-ref.js';
import type { ClipSpec } from './clip-spec.js';

/** Slack for times that stand exactly on a frame boundary (k / fps landing on a frame start). */
const EPSILON = 1e-6;

/** Why a clip cannot be sampled at all, or null when its interval is usable. */
export function clipIntervalProblem(clip: ClipRef): string | null {
  const { startFrame, endFrame } = clip;
  if (!Number.isInteger(startFrame) || !Number.isInteger(endFrame) || startFrame < 0) {
    return `invalid clip interval [${startFrame}, ${endFrame}): frames must be whole numbers from 0`;
  }
  if (endFrame <= startFrame) return `empty clip interval [${startFrame}, ${endFrame})`;
  return null;
}

/**
 * The frame indices (0-based from the video's first decoded frame) a clip is sampled at.
 * fps null: the centres of `frames` equal parts of [startFrame, endFrame).
 * fps set: the frames shown at t0 + k / fps, t0 the start frame's time, clamped to the clip;
 * `frameTimes` (video time of each frame) makes this exact on variable-frame-rate videos,
 * otherwise frame i is at i / clip.fps.
 */
export function clipFrameIndices(clip: ClipRef, spec: ClipSpec, frameTimes: Float64Array | null = null): number[] {
  const problem = clipIntervalProblem(clip);
  if (problem) throw new Error(problem);
  const { startFrame, endFrame } = clip;
  const length = endFrame - startFrame;
  if (spec.fps === null) {
    return Array.from({ length: spec.frames }, (_, k) => startFrame + Math.floor(((k + 0.5) * length) / spec.frames));
  }
  const rate = spec.fps;
  const timing: VideoTiming = {
    fps: clip.fps,
    frameCount: Math.max(endFrame, frameTimes?.length ?? 0),
    startTime: 0,
    ...(frameTimes && frameTimes.length > 0 ? { frameTimes } : {}),
  };
  const t0 = timeOfFrame(timing, startFrame);
  return Array.from({ length: spec.frames }, (_, k) => {
    const frame = frameAtTime(timing, t0 + k / rate + EPSILON);
    return Math.min(endFrame - 1, Math.max(startFrame, frame));
  });
}

/** The distinct frames of several clips, ascending: what one decoding pass over a video keeps. */
export function unionOfFrames(lists: readonly (readonly number[])[]): number[] {
  const all = new Set<number>();
  for (const list of lists) for (const frame of list) all.add(frame);
  return [...all].sort((a, b) => a - b);
}
