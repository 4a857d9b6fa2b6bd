/**
 * Curves computed over the sampled frames (sampled frame j is video frame j·k) back on every video frame:
 * a video frame takes the value of the nearest sampled frame, so the stored curve keeps one value per
 * decoded frame whatever k was.
 */

/** For each of `frameCount` video frames, the index of its nearest sampled frame (ties go to the later one). */
export function nearestSampledFrame(k: number, sampledCount: number, frameCount: number): Int32Array {
  if (!Number.isInteger(k) || k < 1) throw new Error(`expand sampled: the step must be a whole number ≥ 1, got ${k}`);
  if (sampledCount < 1 && frameCount > 0) throw new Error(`expand sampled: ${frameCount} frames but no sampled frame`);
  const map = new Int32Array(frameCount);
  for (let f = 0; f < frameCount; f++) map[f] = Math.min(sampledCount - 1, Math.round(f / k));
  return map;
}

/** `values` (one per sampled frame) read through `map` (nearestSampledFrame): one per video frame. */
export function expandSampled<T extends Float32Array | Int32Array>(values: T, map: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(map.length);
  for (let f = 0; f < map.length; f++) {
    const j = map[f]!;
    if (j >= values.length) throw new Error(`expand sampled: frame ${f} maps to sampled frame ${j}, but there are ${values.length}`);
    out[f] = values[j]!;
  }
  return out;
}
