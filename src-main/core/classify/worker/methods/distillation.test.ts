import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { distillationLoss, isDistribution, teacherProbabilities } from './distillation.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

describe('VideoSSL distillation', () => {
  it('is KL(teacher ‖ student) computed by hand, and 0 when the student matches the teacher', () => {
    const before = tf.memory().numTensors;
    const teacher = tf.tensor2d([[0.7, 0.2, 0.1], [0, 1, 0]]);
    const logits = tf.tensor2d([[1, 0, -1], [0.5, 0.5, 0.5]]);
    // Row 1: softmax(1, 0, −1) = (0.6652, 0.2447, 0.0900); row 2: uniform thirds, KL = log 3.
    const q = [Math.exp(1), 1, Math.exp(-1)].map((e, _, all) => e / all.reduce((a, b) => a + b, 0));
    const row1 = [0.7, 0.2, 0.1].reduce((sum, t, k) => sum + t * Math.log(t / (q[k] ?? 1)), 0);
    const expected = (row1 + Math.log(3)) / 2;
    const loss = distillationLoss(teacher, logits);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    const same = tf.tidy(() => distillationLoss(teacher.slice([0, 0], [1, 3]), tf.log(tf.tensor2d([[0.7, 0.2, 0.1]]))));
    expect(same.dataSync()[0]).toBeCloseTo(0, 5);
    tf.dispose([teacher, logits, loss, same]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pulls the student head towards the teacher (its gradient lowers the loss)', () => {
    const teacher = tf.tensor2d([[0.9, 0.1]]);
    const logits = tf.variable(tf.tensor2d([[0, 0]]));
    const grads = tf.grads((s: tf.Tensor) => distillationLoss(teacher, s as tf.Tensor2D))([logits]);
    const g = grads[0]?.dataSync() ?? new Float32Array();
    expect(g[0]).toBeLessThan(0); // raising logit 0 (the teacher's class) lowers the loss
    expect(g[1]).toBeGreaterThan(0);
    tf.dispose([teacher, logits, ...grads]);
  });

  it('takes a softmax teacher as it is and turns logits or features into probabilities', () => {
    expect(isDistribution(new Float32Array([0.25, 0.75, 1, 0]), 2)).toBe(true);
    expect(isDistribution(new Float32Array([2, -1]), 2)).toBe(false);
    const asIs = new Float32Array([0.25, 0.75]);
    expect(teacherProbabilities(asIs, 2)).toBe(asIs);
    const probs = teacherProbabilities(new Float32Array([0, Math.log(3), 5, 5]), 2);
    expect(Array.from(probs).map((p) => Number(p.toFixed(4)))).toEqual([0.25, 0.75, 0.5, 0.5]);
  });

  it('refuses a head of the wrong width, naming both shapes', () => {
    const teacher = tf.zeros<tf.Rank.R2>([2, 3]);
    const logits = tf.zeros<tf.Rank.R2>([2, 4]);
    expect(() => distillationLoss(teacher, logits)).toThrow(/\[2, 3\].*\[2, 4\]/);
    tf.dispose([teacher, logits]);
  });
});
