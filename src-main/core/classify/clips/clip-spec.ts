/** How a clip is turned into a model input: T frames of S×S RGB, uint8, frame-major (T, S, S, 3). */
export interface ClipSpec {
  frames: number;
  size: number;
  /** Frames per second to sample at from the clip start; null spreads `frames` evenly over the clip. */
  fps: number | null;
}

export const CPU_CLIP_SPEC: ClipSpec = { frames: 8, size: 64, fps: null };

/** A stable text key for caches: `t8-s64-even` or `t8-s64-f4`. */
export function clipSpecKey(spec: ClipSpec): string {
  return `t${spec.frames}-s${spec.size}-${spec.fps === null ? 'even' : `f${spec.fps}`}`;
}

/** Bytes of one decoded clip. */
export function clipByteLength(spec: ClipSpec): number {
  return spec.frames * spec.size * spec.size * 3;
}
