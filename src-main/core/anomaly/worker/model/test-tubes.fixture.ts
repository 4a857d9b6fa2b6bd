/** Synthetic region tubes for the model tests (not used by the app). */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/random.js';

export interface MovingSquareOptions {
  tubes: number;
  /** Frames per tube (odd; 19 covers every task sample's skips). */
  frames: number;
  size: number;
  channels: number;
}

/**
 * Tubes of a bright square on a dim noisy background that always moves rightwards (1 or 2 pixels a frame,
 * wrapping at the edge), like traffic in one direction: played backwards it moves left, which a model can
 * learn to tell apart.
 */
export function movingSquareTubes(rng: Rng, options: MovingSquareOptions): tf.Tensor5D {
  const { tubes, frames, size, channels } = options;
  const side = Math.max(2, Math.round(size / 4));
  const values = new Float32Array(tubes * frames * size * size * channels);
  for (let n = 0; n < tubes; n++) {
    const x0 = rng.int(size);
    const y0 = rng.int(size - side);
    const speed = 1 + rng.int(2);
    const level = rng.uniform(0.7, 0.95);
    for (let t = 0; t < frames; t++) {
      const x = (x0 + speed * t) % size;
      const frameStart = (n * frames + t) * size * size * channels;
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const inside = row >= y0 && row < y0 + side && (col - x + size) % size < side;
          for (let c = 0; c < channels; c++) {
            values[frameStart + (row * size + col) * channels + c] = inside ? level : rng.uniform(0.05, 0.2);
          }
        }
      }
    }
  }
  return tf.tensor5d(values, [tubes, frames, size, size, channels]);
}
