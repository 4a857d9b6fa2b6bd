import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fairnessLoss, modulatedReference } from './fairness-loss.js';

describe('FreeMatch fairness term', () => {
  it('normalises p̃ / h̃, reading 1/0 as 0 (hand-computed)', () => {
    // [0.6 / 0.75, 0.4 / 0.25] = [0.8, 1.6] → [1/3, 2/3]
    const [a, b] = modulatedReference({ classMean: [0.6, 0.4], labelHistogram: [0.75, 0.25] });
    expect(a).toBeCloseTo(1 / 3, 12);
    expect(b).toBeCloseTo(2 / 3, 12);
    // [1, 0.6, 0 (1/0 read as 0)] → [0.625, 0.375, 0]
    const zeroBin = modulatedReference({ classMean: [0.5, 0.3, 0.2], labelHistogram: [0.5, 0.5, 0] });
    [0.625, 0.375, 0].forEach((v, i) => expect(zeroBin[i]).toBeCloseTo(v, 12));
  });

  it('is Σ SumNorm(p̃/h̃) · log SumNorm(p̄/h̄) over the masked strong rows, with no gradient to unmasked rows (hand-computed)', () => {
    const before = tf.memory().numTensors;
    const ln3 = Math.log(3);
    // Softmax rows [3/4, 1/4], [3/4, 1/4], [1/4, 3/4], and a fourth row the mask leaves out.
    const logits = tf.tensor2d([ln3, 0, ln3, 0, 0, ln3, 5, -5], [4, 2]);
    const mask = tf.tensor1d([1, 1, 1, 0]);
    const reference = { classMean: [0.6, 0.4], labelHistogram: [0.75, 0.25] };
    const loss = fairnessLoss(logits, mask, reference);
    // p̄ = [7/12, 5/12], h̄ = [2/3, 1/3] → p̄/h̄ = [7/8, 5/4] → [7/17, 10/17]; target [1/3, 2/3].
    expect(loss.dataSync()[0]).toBeCloseTo((1 / 3) * Math.log(7 / 17) + (2 / 3) * Math.log(10 / 17), 5);
    const grad = tf.grad((x: tf.Tensor) => fairnessLoss(x as tf.Tensor2D, mask, reference))(logits);
    const g = Array.from(grad.dataSync());
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g.slice(6)).toEqual([0, 0]);
    expect(Math.max(...g.slice(0, 6).map(Math.abs))).toBeGreaterThan(0);
    tf.dispose([logits, mask, loss, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is 0, with a zero gradient, when no row passed the mask', () => {
    const logits = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const mask = tf.zeros<tf.Rank.R1>([2]);
    const reference = { classMean: [0.5, 0.5], labelHistogram: [0.5, 0.5] };
    const loss = fairnessLoss(logits, mask, reference);
    expect(Math.abs(loss.dataSync()[0] ?? NaN)).toBe(0);
    const grad = tf.grad((x: tf.Tensor) => fairnessLoss(x as tf.Tensor2D, mask, reference))(logits);
    expect(Array.from(grad.dataSync()).map(Math.abs)).toEqual([0, 0, 0, 0]);
    tf.dispose([logits, mask, loss, grad]);
  });
});
