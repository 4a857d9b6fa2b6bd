/** Test clips from a formula, so each backend builds the same numbers itself (tensors cannot move between them). */
import * as tf from '@tensorflow/tfjs';

/** Clips [n, frames, size, size, 3] in 0..1, each its own colour and texture (so a model's predictions differ between them). */
export function formulaClips(n: number, seed: number, frames: number, size: number): tf.Tensor5D {
  const perClip = frames * size * size * 3;
  const values = Float32Array.from({ length: n * perClip }, (_, i) => {
    const clip = Math.floor(i / perClip);
    const channel = i % 3;
    const colour = 0.5 + 0.4 * Math.sin(seed * 2.3 + clip * 1.9 + channel * 2.1);
    const texture = 0.1 * Math.sin((i % perClip) * (0.05 + 0.07 * clip) + seed);
    return colour + texture;
  });
  return tf.tensor5d(values, [n, frames, size, size, 3]);
}
