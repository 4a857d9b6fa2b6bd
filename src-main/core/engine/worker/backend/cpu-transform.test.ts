import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'cpu' });
  expect(tf.getBackend()).toBe('cpu');
});

describe('Transform on the cpu backend', () => {
  it('warps every image of a batch, each by its own transform or all by a shared one', () => {
    const image = Array.from({ length: 3 * 4 * 2 }, (_, i) => i);
    const identity = [1, 0, 0, 0, 1, 0, 0, 0];
    const shiftRight = [1, 0, -1, 0, 1, 0, 0, 0];
    const before = tf.memory().numTensors;
    const [batched, shared, alone] = tf.tidy(() => {
      const three = tf.tensor4d([...image, ...image, ...image], [3, 3, 4, 2]);
      const one = tf.tensor4d(image, [1, 3, 4, 2]);
      const transform = (rows: number[][], x: tf.Tensor4D) => Array.from(tf.image.transform(x, tf.tensor2d(rows), 'bilinear', 'constant', -1).dataSync());
      return [transform([identity, shiftRight, identity], three), transform([shiftRight], three), transform([shiftRight], one)];
    });
    expect(tf.memory().numTensors).toBe(before);
    const size = image.length;
    expect(batched.slice(0, size)).toEqual(image);
    expect(batched.slice(size, 2 * size)).toEqual(alone);
    expect(batched.slice(2 * size)).toEqual(image);
    expect(shared).toEqual([...alone, ...alone, ...alone]);
    // The shift moves the picture right and fills the uncovered column.
    expect(alone.slice(0, 4)).toEqual([-1, -1, 0, 1]);
  });
});
