import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { clipBatchToTensor } from './clip-tensor.js';
import type { ClipSpec } from '../../clips/clip-spec.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

describe('clipBatchToTensor', () => {
  const spec: ClipSpec = { frames: 2, size: 3, fps: null };
  const clipBytes = 2 * 3 * 3 * 3;

  it('stacks clips into float32 [N, T, S, S, 3] in 0..1, frame-major', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const a = Uint8Array.from({ length: clipBytes }, (_, i) => i);
    const b = new Uint8Array(clipBytes).fill(255);
    const before = tf.memory().numTensors;
    const x = clipBatchToTensor([a, b], spec);
    expect(x.shape).toEqual([2, 2, 3, 3, 3]);
    expect(x.dtype).toBe('float32');
    const values = await x.array();
    // Clip 0, frame 1, row 2, column 1, channel 2 is byte 27 + 2·9 + 1·3 + 2 = 50.
    expect(values[0]![1]![2]![1]![2]).toBeCloseTo(50 / 255, 6);
    expect(values[1]![0]![0]![0]![0]).toBe(1);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a clip of the wrong size or an empty batch', () => {
    expect(() => clipBatchToTensor([new Uint8Array(clipBytes - 1)], spec)).toThrow(
      'clip 0 has 53 bytes, the spec 2×3×3×3 needs 54',
    );
    expect(() => clipBatchToTensor([], spec)).toThrow('the batch is empty');
  });
});
