/**
 * The anomaly detector's time constants are set in seconds and converted per video from its real
 * frame rate. Zod-free, so the renderer shares it. Scoring and training decode every frame but keep
 * only every k-th, so the model always sees about `sampleFps` frames a second: 7-frame windows then
 * span ~0.7 s whatever the camera's rate, as on the 10 fps footage the detector was tuned on.
 */

/** The temporal resolution windows are sampled at (the rate the detector was tuned on). */
export const DEFAULT_SAMPLE_FPS = 10;

/** Assumed when a video's header says no frame rate: the detector's own rate, so nothing is skipped. */
export const FALLBACK_FPS = DEFAULT_SAMPLE_FPS;

/**
 * k: keep every k-th decoded frame, k = max(1, round(fps / sampleFps)). A sampleFps of 0 keeps every
 * frame (how runs made before sampling existed were trained); an unknown rate keeps every frame too.
 */
export function frameStepFor(fps: number | null, sampleFps: number): number {
  if (!Number.isFinite(sampleFps) || sampleFps < 0) throw new Error(`sample rate must be a number ≥ 0 fps, got ${sampleFps}`);
  if (sampleFps === 0 || fps === null || !Number.isFinite(fps) || fps <= 0) return 1;
  return Math.max(1, Math.round(fps / sampleFps));
}

/** A duration in seconds as a whole number of frames ≥ `min` at `fps` (rounded to the nearest). */
export function wholeFramesOf(seconds: number, fps: number, min = 1): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`a duration must be a number of seconds ≥ 0, got ${seconds}`);
  if (!Number.isFinite(fps) || fps <= 0) throw new Error(`a frame rate must be a positive number, got ${fps}`);
  return Math.max(min, Math.round(seconds * fps));
}

/** Smoothing σ in video frames: an explicit `sigma` (frames) wins, else `sigmaSeconds` × the video's rate. */
export function sigmaFramesFor(asked: { sigmaSeconds: number; sigma?: number | undefined }, fps: number | null): number {
  if (asked.sigma !== undefined) return asked.sigma;
  return asked.sigmaSeconds * (fps !== null && fps > 0 ? fps : FALLBACK_FPS);
}

/**
 * What one scoring of a video sampled and used, in the video's frames and in seconds: the frame rate the
 * decoder delivered, every `frameStep`-th frame kept (`sampledFps` a second), windows `strideFrames`
 * apart, each covering the frames within `halfSpanFrames` of its centre, the curve smoothed with σ =
 * `sigmaFrames`. Frame counts are of the video (not of the sampled frames).
 */
export interface AnomalySampling {
  /** The rate frames were delivered at (frames over decoded time); null when neither it nor the header is known. */
  fps: number | null;
  frameStep: number;
  sampledFps: number | null;
  strideFrames: number;
  strideSeconds: number | null;
  halfSpanFrames: number;
  sigmaFrames: number;
  sigmaSeconds: number | null;
}

/** `frames` at `fps` in seconds, null when the rate is unknown. */
export function secondsOfFrames(frames: number, fps: number | null): number | null {
  return fps === null || !(fps > 0) ? null : frames / fps;
}

/** Seconds as "0.8 s" (≤ 3 significant decimals, no trailing zeros). */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  return `${Number(seconds.toFixed(seconds < 10 ? 3 : 1))} s`;
}
