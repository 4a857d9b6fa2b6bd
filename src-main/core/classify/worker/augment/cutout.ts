import * as tf from '@tensorflow/tfjs';
import type { ClipBatchShape } from './clip-batch.js';
import type { CutoutBox } from './strong-params.js';

/** Cutout's fill: mid grey. */
export const CUTOUT_FILL = 0.5;

/** 1 inside [start, end) along an axis of `size` pixels, per clip: `[N, size]`. */
function insideSpan(starts: readonly number[], ends: readonly number[], size: number): tf.Tensor2D {
  const index = tf.range(0, size).reshape([1, size]);
  const start = tf.tensor2d([...starts], [starts.length, 1]);
  const end = tf.tensor2d([...ends], [ends.length, 1]);
  // index ≥ start and index < end, as steps on half-pixel offsets (exact for whole-pixel bounds).
  return tf.step(index.sub(start).add(0.5)).mul(tf.step(end.sub(index).sub(0.5)));
}

/**
 * Fills each clip's box with grey on all its frames. The mask is built at one frame's size and
 * concatenated over time, so the full-size work is same-shape ops (fast on wasm).
 */
export function applyCutout(x: tf.Tensor5D, boxes: readonly CutoutBox[], shape: ClipBatchShape): tf.Tensor5D {
  return tf.tidy(() => {
    const { clips, frames, height, width } = shape;
    const rows = insideSpan(
      boxes.map((b) => b.top),
      boxes.map((b) => b.bottom),
      height,
    ).reshape([clips, 1, height, 1, 1]);
    const columns = insideSpan(
      boxes.map((b) => b.left),
      boxes.map((b) => b.right),
      width,
    ).reshape([clips, 1, 1, width, 1]);
    const oneFrame = rows.mul(columns).mul(tf.ones([1, 1, 1, 1, 3]));
    const mask = frames === 1 ? oneFrame : tf.concat(new Array<tf.Tensor>(frames).fill(oneFrame), 1);
    return x.add<tf.Tensor5D>(mask.mul(tf.sub(CUTOUT_FILL, x)));
  });
}
