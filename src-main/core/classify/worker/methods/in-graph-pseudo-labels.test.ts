import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { maskFromThresholds, rowMax } from './flexmatch-thresholds.js';
import { firstTopClass, pseudoLabelTensors } from './in-graph-pseudo-labels.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

// Row 1 ties classes 0 and 1 (class 0 wins, as rowMax's strict `>`); row 2's top is exactly 0.95 in float32.
const probs = [
  [0.1, 0.2, 0.7],
  [0.4, 0.4, 0.2],
  [0.95, 0.03, 0.02],
  [0.05, 0.9, 0.05],
];
const flat = Float32Array.from(probs.flat());

describe('pseudo-labels on the backend', () => {
  it('take the first top class of each row, as rowMax does', () => {
    const p = tf.tensor2d(probs);
    const labels = firstTopClass(p);
    expect(Array.from(labels.dataSync())).toEqual(probs.map((_, row) => rowMax(flat, row, 3).best));
    expect(labels.dtype).toBe('int32');
    tf.dispose([p, labels]);
  });

  it('mask rows as maskFromThresholds does, for one τ and for per-class thresholds', () => {
    const p = tf.tensor2d(probs);
    const before = tf.memory().numTensors;
    const rules = [
      { kind: 'fixed', threshold: 0.95 },
      { kind: 'per-class', thresholds: [0.4, 0.5, 0.8] },
    ] as const;
    for (const rule of rules) {
      const { labels, mask } = pseudoLabelTensors(rule, p);
      const thresholds = rule.kind === 'fixed' ? [rule.threshold, rule.threshold, rule.threshold] : rule.thresholds;
      expect(Array.from(mask.dataSync())).toEqual(Array.from(maskFromThresholds(flat, 3, thresholds)));
      expect(Array.from(labels.dataSync())).toEqual([2, 0, 0, 1]);
      tf.dispose([labels, mask]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(p);
  });

  it('pass no gradient to the probabilities they come from', () => {
    const p = tf.tensor2d(probs);
    const grad = tf.grad((x: tf.Tensor) => {
      const { labels, mask } = pseudoLabelTensors({ kind: 'fixed', threshold: 0.5 }, x as tf.Tensor2D);
      return tf.sum(tf.mul(tf.add(tf.cast(labels, 'float32'), mask), tf.sum(x, 1)));
    })(p);
    // Only the explicit Σ x term carries gradient: (label + mask) per row.
    expect(Array.from(grad.dataSync())).toEqual([3, 3, 3, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    tf.dispose([p, grad]);
  });
});
