import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend/select-backend.js';
import { cosineLearningRate, unsupervisedRamp } from '../../classify/worker/methods/learning-rate.js';
import { accuracy, crossEntropy, crossEntropyPerRow, stopGradient, unlabelledLoss } from './losses.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
});

/** −log softmax(row)[label], by hand. */
function ce(row: number[], label: number): number {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return logSum - (row[label] ?? NaN);
}

const logitRows = [
  [2, 0, -1],
  [0.5, 0.2, 0.1],
  [-1, 3, 0],
  [0, 0, 0],
];

describe('losses', () => {
  it('cross-entropy per row and mean match a hand computation', () => {
    const labels = [0, 2, 1, 1];
    const logits = tf.tensor2d(logitRows);
    const y = tf.tensor1d(labels, 'int32');
    const perRow = Array.from(crossEntropyPerRow(logits, y).dataSync());
    perRow.forEach((v, i) => expect(v).toBeCloseTo(ce(logitRows[i] ?? [], labels[i] ?? 0), 5));
    const mean = perRow.reduce((a, b) => a + b, 0) / perRow.length;
    expect(crossEntropy(logits, y).dataSync()[0]).toBeCloseTo(mean, 5);
    expect(accuracy(logits, y).dataSync()[0]).toBeCloseTo(0.5, 6);
    tf.dispose([logits, y]);
  });

  it('divides the unlabelled loss by μB (all rows), not by how many passed the mask', () => {
    const pseudo = [0, 0, 1, 2];
    const mask = [1, 0, 1, 0];
    const before = tf.memory().numTensors;
    const loss = tf.tidy(() =>
      unlabelledLoss(tf.tensor2d(logitRows), tf.tensor1d(pseudo, 'int32'), tf.tensor1d(mask)).dataSync()[0],
    );
    expect(tf.memory().numTensors).toBe(before);
    const passed = ce(logitRows[0] ?? [], 0) + ce(logitRows[2] ?? [], 1);
    expect(loss).toBeCloseTo(passed / 4, 5);
    expect(loss).not.toBeCloseTo(passed / 2, 3);
    const none = tf.tidy(() => unlabelledLoss(tf.tensor2d(logitRows), tf.tensor1d(pseudo, 'int32'), tf.zeros<tf.Rank.R1>([4])).dataSync()[0]);
    expect(none).toBe(0);
  });

  it('rejects labels that do not match the logits', () => {
    const logits = tf.tensor2d(logitRows);
    const short = tf.tensor1d([0, 1], 'int32');
    const floats = tf.tensor1d([0, 1, 0, 1], 'float32');
    expect(() => crossEntropy(logits, short)).toThrow(/labels has 2 rows but the logits have 4/);
    expect(() => crossEntropy(logits, floats)).toThrow(/labels must be int32/);
    tf.dispose([logits, short, floats]);
  });

  it('stopGradient passes values and blocks gradients', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.add(tf.sum(tf.mul(stopGradient(t), t)), tf.sum(stopGradient(t))))(x);
    // d/dt Σ sg(t)·t = sg(t) = t; the second term contributes nothing.
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([x, g]);
  });
});

describe('schedules', () => {
  it('cosine learning rate is base·cos(7πk/(16K))', () => {
    expect(cosineLearningRate(0.03, 0, 100)).toBeCloseTo(0.03, 12);
    expect(cosineLearningRate(0.03, 50, 100)).toBeCloseTo(0.03 * Math.cos((7 * Math.PI) / 32), 12);
    expect(cosineLearningRate(0.03, 100, 100)).toBeCloseTo(0.03 * Math.cos((7 * Math.PI) / 16), 12);
    expect(() => cosineLearningRate(0.03, 0, 0)).toThrow(/totalSteps must be > 0/);
  });

  it('pseudo-label ramp grows linearly over the warm-up share', () => {
    expect(unsupervisedRamp(0, 100, 0.4)).toBe(0);
    expect(unsupervisedRamp(20, 100, 0.4)).toBeCloseTo(0.5, 12);
    expect(unsupervisedRamp(80, 100, 0.4)).toBe(1);
    expect(unsupervisedRamp(0, 100, 0)).toBe(1);
  });
});
