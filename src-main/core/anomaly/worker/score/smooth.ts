/**
 * Temporal Gaussian smoothing of per-frame anomaly scores (SSMTL: σ = 20 frames). At the ends of the
 * video the kernel is renormalised over the frames that exist, so a constant curve stays constant
 * instead of dipping towards the first and last frames as zero padding would make it.
 */

export const DEFAULT_SMOOTHING_SIGMA = 20;

export interface SmoothingOptions {
  /** Standard deviation in frames (default 20); 0 leaves the scores as they are. */
  sigma?: number;
  /** Odd kernel length (the paper uses 49); default 2·⌈3σ⌉ + 1. */
  taps?: number;
}

/** The unnormalised weights exp(−k² / 2σ²) for k = 0..radius (the kernel is symmetric). */
export function gaussianHalfKernel(sigma: number, taps?: number): Float64Array {
  if (!Number.isFinite(sigma) || sigma < 0) throw new Error(`smoothing σ must be a finite number ≥ 0, got ${sigma}`);
  if (taps !== undefined && (!Number.isInteger(taps) || taps < 1 || taps % 2 === 0)) {
    throw new Error(`smoothing taps must be an odd integer ≥ 1, got ${taps}`);
  }
  if (sigma === 0) return Float64Array.of(1);
  const radius = taps === undefined ? Math.ceil(3 * sigma) : (taps - 1) / 2;
  const half = new Float64Array(radius + 1);
  for (let k = 0; k <= radius; k++) half[k] = Math.exp(-(k * k) / (2 * sigma * sigma));
  return half;
}

/** Smoothed copy of `scores`; NaN or ±Infinity in the input is an error naming the frame. */
export function smoothScores(scores: ArrayLike<number>, options: SmoothingOptions = {}): Float32Array {
  const half = gaussianHalfKernel(options.sigma ?? DEFAULT_SMOOTHING_SIGMA, options.taps);
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    const value = scores[i] as number;
    if (!Number.isFinite(value)) throw new Error(`cannot smooth: frame ${i} has score ${value}`);
  }
  const radius = half.length - 1;
  // Prefix sums of the half kernel give each frame's sum of weights over the taps that exist.
  const cumulative = new Float64Array(radius + 1);
  let running = 0;
  for (let k = 0; k <= radius; k++) {
    running += half[k] as number;
    cumulative[k] = running;
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const left = Math.min(radius, i);
    const right = Math.min(radius, n - 1 - i);
    let sum = (half[0] as number) * (scores[i] as number);
    for (let k = 1; k <= left; k++) sum += (half[k] as number) * (scores[i - k] as number);
    for (let k = 1; k <= right; k++) sum += (half[k] as number) * (scores[i + k] as number);
    const weight = (cumulative[left] as number) + (cumulative[right] as number) - (half[0] as number);
    out[i] = sum / weight;
  }
  return out;
}
