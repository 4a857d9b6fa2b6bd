import * as tf from '@tensorflow/tfjs';
import type { ClipBatchShape } from './clip-batch.js';

// Ops with one parameter per clip *and channel*. They run on a planar view `[N·3, T·H·W]` (one row per
// clip-channel), where a per-row parameter `[N·3, 1]` broadcasts on the wasm fast path; in the
// interleaved layout a per-channel broadcast is a generic loop ~30× slower than the two transposes.

/**
 * Bins of the equalize histogram. Each bin costs three full-size ops, so few.
 */
export const EQUALIZE_BINS = 4;

export function toPlanar(x: tf.Tensor5D, shape: ClipBatchShape): tf.Tensor2D {
  return tf.tidy(() => x.reshape([shape.clips, -1, 3]).transpose([0, 2, 1]).reshape([shape.clips * 3, -1]));
}

export function fromPlanar(rows: tf.Tensor2D, shape: ClipBatchShape): tf.Tensor5D {
  return tf.tidy(() =>
    rows
      .reshape([shape.clips, 3, -1])
      .transpose([0, 2, 1])
      .reshape([shape.clips, shape.frames, shape.height, shape.width, 3]),
  );
}

/** 1 for each row of a clip that drew the op, else 0: `[N·3, 1]`. */
function rowMask(chosen: readonly boolean[]): tf.Tensor2D {
  return tf.tensor2d(
    chosen.flatMap((c) => (c ? [1, 1, 1] : [0, 0, 0])),
    [chosen.length * 3, 1],
  );
}

/** Stretches each channel of a chosen clip to span 0..1 (over all its frames); a flat channel stays. */
export function autocontrast(rows: tf.Tensor2D, chosen: readonly boolean[]): tf.Tensor2D {
  return tf.tidy(() => {
    const low = rows.min(1, true);
    const range = rows.max(1, true).sub(low);
    const stretch = tf.cast(tf.greater(range, 1e-6), 'float32').mul(rowMask(chosen));
    const scale = stretch.div(tf.maximum(range, 1e-6)).add(tf.sub(1, stretch));
    const shift = low.mul(scale).mul(stretch).neg();
    return rows.mul(scale).add(shift);
  });
}

/**
 * Histogram equalization, approximated: each chosen clip-channel goes through its own CDF over
 * EQUALIZE_BINS bins spread over the values it actually has (so even a narrow histogram spans 0..1,
 * as with PIL); exact at the bin edges, linear inside a bin. PIL uses 256 bins and a lookup table,
 * but a per-pixel lookup is a gather, slow on wasm; this is three elementwise ops per bin.
 * A flat channel stays as it is.
 */
export function equalize(rows: tf.Tensor2D, chosen: readonly boolean[]): tf.Tensor2D {
  const [rowCount, length] = rows.shape;
  const { scaled, active } = tf.tidy(() => {
    const low = rows.min(1, true);
    const range = rows.max(1, true).sub(low);
    const scale = tf.div(EQUALIZE_BINS, tf.maximum(range, 1e-6));
    return {
      scaled: rows.mul<tf.Tensor2D>(scale).sub<tf.Tensor2D>(low.mul(scale)),
      active: tf.cast(tf.greater(range, 1e-6), 'float32').mul<tf.Tensor2D>(rowMask(chosen)),
    };
  });
  const share = tf.tidy(() => {
    const offsets = tf.range(0, rowCount * EQUALIZE_BINS, EQUALIZE_BINS).reshape([rowCount, 1]);
    const bin = tf.floor(scaled.clipByValue(0, EQUALIZE_BINS - 1)).add(offsets);
    const counts = tf.bincount(tf.cast(bin, 'int32').reshape<tf.Tensor1D>([-1]), tf.tensor1d([], 'int32'), rowCount * EQUALIZE_BINS);
    return tf.cast(counts, 'float32').reshape([rowCount, EQUALIZE_BINS]).div(length).mul(active);
  });
  // CDF(v) = Σ_k share_k · clip(s − k, 0, 1) = Σ_k share_k · clip(s, k, k+1) − Σ_k k · share_k, s the value in bins.
  let out = tf.tidy(() => {
    const binStarts = tf.range(0, EQUALIZE_BINS).reshape([EQUALIZE_BINS, 1]);
    return rows.mul<tf.Tensor2D>(tf.sub(1, active)).sub<tf.Tensor2D>(tf.matMul(share, binStarts));
  });
  const shares = tf.split(share, EQUALIZE_BINS, 1);
  shares.forEach((s, k) => {
    const next = tf.tidy(() => out.add<tf.Tensor2D>(scaled.clipByValue(k, k + 1).mul(s)));
    out.dispose();
    out = next;
  });
  tf.dispose([scaled, active, share, ...shares]);
  return out;
}

/** Autocontrast and equalize for the clips that drew them, in one trip to the planar layout. */
export function channelOps(
  x: tf.Tensor5D,
  chosen: { autocontrast: readonly boolean[]; equalize: readonly boolean[] },
  shape: ClipBatchShape,
): tf.Tensor5D {
  let rows = toPlanar(x, shape);
  for (const [op, clips] of [
    [autocontrast, chosen.autocontrast],
    [equalize, chosen.equalize],
  ] as const) {
    if (!clips.includes(true)) continue;
    const next = op(rows, clips);
    rows.dispose();
    rows = next;
  }
  const out = fromPlanar(rows, shape);
  rows.dispose();
  return out;
}
