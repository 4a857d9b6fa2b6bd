import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { onBothBackends, onWebGpuWithoutLeaks, relativeError, suiteAdapter } from '../../../../../tests/fixtures/webgpu.js';
import { selectBackend } from './select-backend.js';

describe('the webgpu backend on Dawn', () => {
  onWebGpuWithoutLeaks();

  it('reports the adapter it computes on, and a forced run records it', async () => {
    const adapter = suiteAdapter();
    expect(adapter.description).not.toBe('');
    expect(adapter.maxBufferBytes).toBeGreaterThan(0);
    const choice = await selectBackend({ VSSL_TF_BACKEND: 'webgpu' });
    expect(choice).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu', gpu: !adapter.software, adapter });
    expect(choice.reason).toContain(adapter.description);
  });

  it('matches the cpu backend on a 3-D convolution and its gradients', async () => {
    const x = Array.from({ length: 2 * 4 * 8 * 8 * 3 }, (_, i) => Math.sin(i));
    const f = Array.from({ length: 3 * 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i) / 10);
    const { webgpu, cpu } = await onBothBackends(async () => {
      const input = tf.tensor5d(x, [2, 4, 8, 8, 3]);
      const filter = tf.tensor5d(f, [3, 3, 3, 3, 4]);
      const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.square(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 1, 'same')));
      const [dx, df] = tf.grads(loss)([input, filter]);
      try {
        return [...(await (dx as tf.Tensor).data()), ...(await (df as tf.Tensor).data())];
      } finally {
        tf.dispose([input, filter, dx, df]);
      }
    });
    expect(relativeError(webgpu, cpu)).toBeLessThan(1e-3);
  });
});
