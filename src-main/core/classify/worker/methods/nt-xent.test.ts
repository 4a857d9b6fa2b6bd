import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { NT_XENT_TEMPERATURE, ntXentLoss } from './nt-xent.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  expect(tf.getBackend()).toBe('wasm');
});

const aRows = [
  [1, 2, 0],
  [0, 1, 3],
];
const bRows = [
  [2, 1, 1],
  [1, 0, 2],
];

function cosine(u: number[], v: number[]): number {
  const dot = u.reduce((s, x, i) => s + x * (v[i] ?? NaN), 0);
  const nu = Math.sqrt(u.reduce((s, x) => s + x * x, 0));
  const nv = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return dot / (nu * nv);
}

describe('ntXentLoss', () => {
  it('matches a hand computation for N = 2 at T = 0.5', () => {
    // z = [a0, a1, b0, b1]; the partner of a_i is b_i and vice versa.
    const [a0 = [], a1 = []] = aRows;
    const [b0 = [], b1 = []] = bRows;
    const T = 0.5;
    const e = (u: number[], v: number[]) => Math.exp(cosine(u, v) / T);
    // Anchor a0: positive b0; the denominator holds every row but a0 itself: a1, b0, b1.
    const la0 = -Math.log(e(a0, b0) / (e(a0, a1) + e(a0, b0) + e(a0, b1)));
    const la1 = -Math.log(e(a1, b1) / (e(a1, a0) + e(a1, b0) + e(a1, b1)));
    const lb0 = -Math.log(e(b0, a0) / (e(b0, a0) + e(b0, a1) + e(b0, b1)));
    const lb1 = -Math.log(e(b1, a1) / (e(b1, a0) + e(b1, a1) + e(b1, b0)));
    const expected = (la0 + la1 + lb0 + lb1) / 4;

    const a = tf.tensor2d(aRows);
    const b = tf.tensor2d(bRows);
    const before = tf.memory().numTensors;
    const loss = ntXentLoss(a, b);
    const value = loss.dataSync()[0];
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(NT_XENT_TEMPERATURE).toBe(0.5);
    expect(value).toBeCloseTo(expected, 5);
    // The norm of a row does not matter (cosine similarity), the temperature does.
    const scaled = tf.tidy(() => ntXentLoss(tf.mul(a, 7), b).dataSync()[0]);
    expect(scaled).toBeCloseTo(expected, 5);
    const hotter = tf.tidy(() => ntXentLoss(a, b, { temperature: 1 }).dataSync()[0]);
    expect(hotter).not.toBeCloseTo(expected, 2);
    tf.dispose([a, b]);
  });

  it('adds hard negatives to every denominator without making them anchors', () => {
    const [a0 = [], a1 = []] = aRows;
    const [b0 = [], b1 = []] = bRows;
    const r0 = [0, 2, 1];
    const T = 0.5;
    const e = (u: number[], v: number[]) => Math.exp(cosine(u, v) / T);
    const la0 = -Math.log(e(a0, b0) / (e(a0, a1) + e(a0, b0) + e(a0, b1) + e(a0, r0)));
    const la1 = -Math.log(e(a1, b1) / (e(a1, a0) + e(a1, b0) + e(a1, b1) + e(a1, r0)));
    const lb0 = -Math.log(e(b0, a0) / (e(b0, a0) + e(b0, a1) + e(b0, b1) + e(b0, r0)));
    const lb1 = -Math.log(e(b1, a1) / (e(b1, a0) + e(b1, a1) + e(b1, b0) + e(b1, r0)));
    const a = tf.tensor2d(aRows);
    const b = tf.tensor2d(bRows);
    const r = tf.tensor2d([r0]);
    const value = tf.tidy(() => ntXentLoss(a, b, { negatives: r }).dataSync()[0]);
    expect(value).toBeCloseTo((la0 + la1 + lb0 + lb1) / 4, 5);
    expect(() => tf.tidy(() => ntXentLoss(a, b, { negatives: tf.zeros<tf.Rank.R2>([1, 2]) }))).toThrow(/negatives must have 3 columns/);
    tf.dispose([a, b, r]);
  });

  it('is symmetric in its views, at most log(2N − 1) for identical views, and 0 for one pair', () => {
    const a = tf.tensor2d(aRows);
    const b = tf.tensor2d(bRows);
    const ab = tf.tidy(() => ntXentLoss(a, b).dataSync()[0] ?? NaN);
    const ba = tf.tidy(() => ntXentLoss(b, a).dataSync()[0] ?? NaN);
    expect(ab).toBeCloseTo(ba, 6);
    // Identical views: each anchor's positive has the largest similarity (1), so ℓ_i ≤ log(2N − 1).
    const same = tf.tidy(() => ntXentLoss(a, a).dataSync()[0] ?? NaN);
    expect(same).toBeLessThanOrEqual(Math.log(3) + 1e-6);
    expect(same).toBeLessThan(ab);
    const single = tf.tidy(() => ntXentLoss(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[3, 2, 1]])).dataSync()[0]);
    expect(single).toBeCloseTo(0, 6);
    const empty = tf.tidy(() => ntXentLoss(tf.zeros([0, 3]), tf.zeros([0, 3])).dataSync()[0]);
    expect(empty).toBe(0);
    tf.dispose([a, b]);
  });

  it('has finite gradients, and none for the detached view', () => {
    const a = tf.tensor2d(aRows);
    const b = tf.tensor2d(bRows);
    const before = tf.memory().numTensors;
    const [gaDetached, gbDetached] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      ntXentLoss(x as tf.Tensor2D, y as tf.Tensor2D, { detach: 'a' }),
    )([a, b]);
    const [gaFree, gbFree] = tf.grads((x: tf.Tensor, y: tf.Tensor) => ntXentLoss(x as tf.Tensor2D, y as tf.Tensor2D))([a, b]);
    const values = [gaDetached, gbDetached, gaFree, gbFree].map((g) => Array.from(g?.dataSync() ?? []));
    tf.dispose([gaDetached, gbDetached, gaFree, gbFree]);
    expect(tf.memory().numTensors).toBe(before);
    const [ad = [], bd = [], af = [], bf = []] = values;
    for (const g of values) {
      expect(g).toHaveLength(6);
      expect(g.every(Number.isFinite)).toBe(true);
    }
    expect(ad.every((v) => v === 0)).toBe(true);
    expect(bd.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    expect(af.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    expect(bf.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    // Detaching a changes only where the gradient goes, not the value.
    const detachedValue = tf.tidy(() => ntXentLoss(a, b, { detach: 'b' }).dataSync()[0] ?? NaN);
    const freeValue = tf.tidy(() => ntXentLoss(a, b).dataSync()[0] ?? NaN);
    expect(detachedValue).toBeCloseTo(freeValue, 6);
    tf.dispose([a, b]);
  });

  it('gives a finite loss and gradient for an all-zero row', () => {
    const a = tf.tensor2d([
      [0, 0, 0],
      [1, 0, 0],
    ]);
    const b = tf.tensor2d(bRows);
    const g = tf.grad((x: tf.Tensor) => ntXentLoss(x as tf.Tensor2D, b))(a);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    const value = tf.tidy(() => ntXentLoss(a, b).dataSync()[0]);
    expect(Number.isFinite(value)).toBe(true);
    tf.dispose([a, b, g]);
  });

  it('with a present mask, is NT-Xent over the present rows alone, and their gradient alone', () => {
    const a = tf.tensor2d([...aRows, [5, -1, 2]]);
    const b = tf.tensor2d([...bRows, [-3, 4, 1]]);
    const negatives = tf.tensor2d([[1, 1, 1]]);
    const present = tf.tensor1d([1, 0, 1]);
    const kept = tf.tensor1d([0, 2], 'int32');
    const before = tf.memory().numTensors;
    const [masked, subset] = tf.tidy(() => [
      ntXentLoss(a, b, { present, negatives }).dataSync()[0] ?? NaN,
      ntXentLoss(tf.gather(a, kept), tf.gather(b, kept), { negatives }).dataSync()[0] ?? NaN,
    ]);
    expect(masked).toBeCloseTo(subset ?? NaN, 6);
    const grad = tf.grad((x: tf.Tensor) => ntXentLoss(x as tf.Tensor2D, b, { present }))(a);
    const values = Array.from(grad.dataSync());
    expect(values.slice(3, 6)).toEqual([0, 0, 0]);
    expect(values.every(Number.isFinite)).toBe(true);
    tf.dispose(grad);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, negatives, present, kept]);
  });

  it('rejects views of different shapes and a bad temperature', () => {
    const a = tf.tensor2d(aRows);
    const short = tf.tensor2d([[1, 2, 3]]);
    const narrow = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(() => ntXentLoss(a, short)).toThrow(/same shape, got \[2, 3\] and \[1, 3\]/);
    expect(() => ntXentLoss(a, narrow)).toThrow(/same shape/);
    expect(() => ntXentLoss(a, a, { temperature: 0 })).toThrow(/temperature must be a finite number > 0, got 0/);
    tf.dispose([a, short, narrow]);
  });
});
