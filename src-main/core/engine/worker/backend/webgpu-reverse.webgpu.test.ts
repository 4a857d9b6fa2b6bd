import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks } from '../../../../../tests/fixtures/webgpu.js';

describe('Reverse on webgpu', () => {
  onWebGpuWithoutLeaks();

  const cases: [number[], number[]][] = [
    [[2, 3, 4, 2, 3], [1]],
    [[2, 3, 4, 2, 3], [0, 2, 4]],
    [[2, 3, 1, 2, 3, 2], [-1, 1, 2]],
    [[3, 4], [0]],
  ];

  it.each(cases)('of shape %j along %j gives the cpu backend’s values, and its gradient too', async (shape, axes) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: size }, (_, i) => i);
    const weights = Array.from({ length: size }, (_, i) => Math.sin(i));
    const { webgpu, cpu } = await onBothBackends(async () => {
      const x = tf.tensor(values, shape);
      const w = tf.tensor(weights, shape);
      const reversed = tf.reverse(x, axes);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reverse(t, axes), w)))(x);
      try {
        return { reversed: Array.from(await reversed.data()), grad: Array.from(await grad.data()) };
      } finally {
        tf.dispose([x, w, reversed, grad]);
      }
    });
    expect(webgpu.reversed).toEqual(cpu.reversed);
    expect(webgpu.grad).toEqual(cpu.grad);
  });
});
