import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { NEGATIVE_LEARNING_MIN_COMPLEMENT, negativeLearningLoss, negativeLearningLossPerRow } from './negative-learning.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  expect(tf.getBackend()).toBe('wasm');
});

function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

/** −Σ m_c log(max(1 − p_c, 1e−7)) / Σ m_c, by hand; 0 without negatives. */
function handLoss(logits: number[], mask: number[]): number {
  const p = softmax(logits);
  const marked = mask.reduce((s, v) => s + v, 0);
  if (marked === 0) return 0;
  return -mask.reduce((s, m, c) => s + m * Math.log(Math.max(1 - (p[c] ?? NaN), 1e-7)), 0) / marked;
}

const logitRows = [
  [2, 0.5, -1, 0],
  [0, 1, 2, 3],
  [1, 1, 1, 1],
  [-2, 0, 4, 1],
];
const maskRows = [
  [0, 1, 1, 0],
  [1, 0, 0, 1],
  [0, 0, 0, 0], // a positive row: no negative label
  [0, 0, 1, 0],
];

describe('negativeLearningLoss', () => {
  it('matches a hand computation, leaving rows without negatives out of the mean', () => {
    const expected = logitRows.map((row, i) => handLoss(row, maskRows[i] ?? []));
    const logits = tf.tensor2d(logitRows);
    const mask = tf.tensor2d(maskRows);
    const before = tf.memory().numTensors;
    const perRow = negativeLearningLossPerRow(logits, mask);
    const loss = negativeLearningLoss(logits, mask);
    const perRowValues = Array.from(perRow.dataSync());
    const value = loss.dataSync()[0];
    tf.dispose([perRow, loss]);
    expect(tf.memory().numTensors).toBe(before);
    perRowValues.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 5));
    expect(perRowValues[2]).toBe(0);
    // 3 rows have negatives: the mean divides by 3, not 4.
    expect(value).toBeCloseTo(((expected[0] ?? NaN) + (expected[1] ?? NaN) + (expected[3] ?? NaN)) / 3, 5);
    // A boolean mask is read the same way.
    const boolValue = tf.tidy(() => negativeLearningLoss(logits, tf.cast(mask, 'bool')).dataSync()[0]);
    expect(boolValue).toBeCloseTo(value ?? NaN, 6);
    tf.dispose([logits, mask]);
  });

  it('is 0 for a batch without negative labels, and clamps 1 − p at 1e−7', () => {
    const none = tf.tidy(() => negativeLearningLoss(tf.tensor2d(logitRows), tf.zeros([4, 4])).dataSync()[0]);
    expect(none).toBe(0);
    const empty = tf.tidy(() => negativeLearningLoss(tf.zeros([0, 3]), tf.zeros([0, 3])).dataSync()[0]);
    expect(empty).toBe(0);
    // p_0 rounds to 1 in float32: the loss is −log(1e−7) instead of ∞, and its gradient stays finite.
    const sure = tf.tensor2d([[30, 0, 0]]);
    const onFirst = tf.tensor2d([[1, 0, 0]]);
    const clamped = tf.tidy(() => negativeLearningLoss(sure, onFirst).dataSync()[0]);
    expect(clamped).toBeCloseTo(-Math.log(NEGATIVE_LEARNING_MIN_COMPLEMENT), 3);
    const g = tf.grad((x: tf.Tensor) => negativeLearningLoss(x as tf.Tensor2D, onFirst))(sure);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([sure, onFirst, g]);
  });

  it('pushes the marked classes down', () => {
    // The UPS regime: marked classes are unlikely ones (p̄_c < τn when selected).
    const logits = tf.tensor2d(logitRows);
    const mask = tf.tensor2d([
      [0, 0, 1, 1],
      [1, 1, 0, 0],
      [0, 0, 0, 0],
      [1, 1, 0, 1],
    ]);
    const marked = mask.arraySync();
    const before = tf.memory().numTensors;
    const grad = tf.grad((x: tf.Tensor) => negativeLearningLoss(x as tf.Tensor2D, mask))(logits);
    const g = Array.from(grad.dataSync());
    // One gradient-descent step on the logits.
    const stepped = tf.tidy(() => tf.softmax(tf.sub<tf.Tensor2D>(logits, tf.mul(grad, 0.5))).arraySync());
    const original = tf.tidy(() => tf.softmax(logits).arraySync());
    grad.dispose();
    expect(tf.memory().numTensors).toBe(before);
    let checked = 0;
    marked.forEach((row, r) =>
      row.forEach((m, c) => {
        if (m !== 1) return;
        // A positive gradient: descent lowers the marked logit, and the marked class's probability falls.
        expect(g[r * 4 + c] ?? NaN).toBeGreaterThan(0);
        expect(stepped[r]?.[c] ?? NaN).toBeLessThan(original[r]?.[c] ?? NaN);
        checked++;
      }),
    );
    expect(checked).toBe(7);
    // The row without negatives is untouched.
    expect(g.slice(8, 12)).toEqual([0, 0, 0, 0]);
    tf.dispose([logits, mask]);
  });

  it('lowers the total marked probability even when one marked class dominates', () => {
    // Classes 0 and 3 marked, p_3 ≈ 0.64: ∂ℓ/∂z_0 = p_0·(1 − p_3/(1 − p_3))/2 < 0, so z_0 itself rises, but
    // the marked share p_0 + p_3 still falls after a step.
    const logits = tf.tensor2d([[0, 1, 2, 3]]);
    const mask = tf.tensor2d([[1, 0, 0, 1]]);
    const grad = tf.grad((x: tf.Tensor) => negativeLearningLoss(x as tf.Tensor2D, mask))(logits);
    const [g0, , , g3] = Array.from(grad.dataSync());
    const [p0 = NaN, , , p3 = NaN] = softmax([0, 1, 2, 3]);
    expect(g0).toBeCloseTo((p0 * (1 - p3 / (1 - p3))) / 2, 5);
    expect(g3).toBeGreaterThan(0);
    const [s0 = NaN, , , s3 = NaN] = tf.tidy(() => tf.softmax(tf.sub<tf.Tensor2D>(logits, tf.mul(grad, 0.5))).arraySync()[0] ?? []);
    expect(s0 + s3).toBeLessThan(p0 + p3);
    tf.dispose([logits, mask, grad]);
  });

  it('rejects a mask that does not match the logits', () => {
    const logits = tf.tensor2d(logitRows);
    const mask = tf.zeros<tf.Rank.R2>([4, 3]);
    expect(() => negativeLearningLoss(logits, mask)).toThrow(/mask \[4, 3\] does not match logits \[4, 4\]/);
    tf.dispose([logits, mask]);
  });
});
