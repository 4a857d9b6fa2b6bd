import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks } from '../../../../../tests/fixtures/webgpu.js';

describe('Bincount on webgpu', () => {
  onWebGpuWithoutLeaks();

  const values = [0, 1, 1, 3, 7, 7, 7, 2, 12];
  const cases: [string, number[], 'int32' | 'float32'][] = [
    ['no weights (int32 counts)', [], 'int32'],
    ['int32 weights', [1, 2, 3, 4, 5, 6, 7, 8, 9], 'int32'],
    ['float32 weights', [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5], 'float32'],
  ];

  it.each(cases)('with %s counts as the cpu backend does', async (_name, weights, dtype) => {
    const { webgpu, cpu } = await onBothBackends(async () => {
      const x = tf.tensor1d(values, 'int32');
      const w = tf.tensor1d(weights, dtype);
      const counts = tf.bincount(x, w, 10);
      try {
        return { dtype: counts.dtype, values: Array.from(await counts.data()) };
      } finally {
        tf.dispose([x, w, counts]);
      }
    });
    expect(webgpu).toEqual(cpu);
  });
});
