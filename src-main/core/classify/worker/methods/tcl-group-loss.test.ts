import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/worker/backend/select-backend.js';
import { TCL_GAMMA, TCL_TEMPERATURE, sharedGroupWeights, tclGroupLoss } from './tcl-group-loss.js';

beforeAll(async () => {
  await selectBackend({ VSSL_TF_BACKEND: 'wasm' });
  expect(tf.getBackend()).toBe('wasm');
});

// Argmax per row — base: 0, 1, 0, 2, 1; auxiliary: 0, 0, 1, 1, 1. Shared classes: 0 and 1 (2 is base-only).
const baseRows = [
  [2, 0, -1],
  [0, 1.5, 0.5],
  [1, 0.2, 0.1],
  [0, 0, 1],
  [-1, 2, 0],
];
const auxRows = [
  [1, 0, 0],
  [0.5, 0.1, 0.4],
  [0, 1, 0],
  [0.2, 3, -1],
  [0.3, 0.6, 0.5],
];

function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

function mean(rows: number[][]): number[] {
  return (rows[0] ?? []).map((_, c) => rows.reduce((s, r) => s + (r[c] ?? NaN), 0) / rows.length);
}

function cosine(u: number[], v: number[]): number {
  const dot = u.reduce((s, x, i) => s + x * (v[i] ?? NaN), 0);
  return dot / (Math.hypot(...u) * Math.hypot(...v));
}

function rowsOf(rows: number[][], indices: number[]): number[][] {
  return indices.map((i) => rows[i] ?? []);
}

describe('tclGroupLoss', () => {
  it('finds the classes both pathways share and the averaging weights, on the backend', () => {
    // Argmax rows: base 0, 1, 0, 2, 1 and auxiliary 0, 0, 1, 1, 1 (the fixtures above).
    const base = tf.tensor2d(baseRows);
    const aux = tf.tensor2d(auxRows);
    const before = tf.memory().numTensors;
    const groups = sharedGroupWeights(base, aux);
    const shared = Array.from(groups.shared.dataSync());
    const baseWeights = Array.from(groups.baseWeights.dataSync());
    const auxWeights = Array.from(groups.auxWeights.dataSync());
    tf.dispose([groups.shared, groups.baseWeights, groups.auxWeights]);
    expect(tf.memory().numTensors).toBe(before);
    expect(shared).toEqual([1, 1, 0]);
    // Class 2 is the base pathway's alone: its row of weights is 0 in both.
    expect(baseWeights).toEqual([0.5, 0, 0.5, 0, 0, 0, 0.5, 0, 0, 0.5, 0, 0, 0, 0, 0]);
    const third = Math.fround(1 / 3);
    expect(auxWeights).toEqual([0.5, 0.5, 0, 0, 0, 0, 0, third, third, third, 0, 0, 0, 0, 0]);
    tf.dispose([base, aux]);
  });

  it('groups tied rows under their first top class, as argmax does', () => {
    const base = tf.tensor2d([
      [1, 1, 0],
      [0, 2, 2],
    ]);
    const groups = sharedGroupWeights(base, base);
    expect(Array.from(groups.shared.dataSync())).toEqual([1, 1, 0]);
    tf.dispose([base, groups.shared, groups.baseWeights, groups.auxWeights]);
  });

  it('matches a hand computation on fixed logits', () => {
    const pBase = baseRows.map(softmax);
    const pAux = auxRows.map(softmax);
    // Group means of the shared classes 0 and 1.
    const base0 = mean(rowsOf(pBase, [0, 2]));
    const base1 = mean(rowsOf(pBase, [1, 4]));
    const aux0 = mean(rowsOf(pAux, [0, 1]));
    const aux1 = mean(rowsOf(pAux, [2, 3, 4]));
    // NT-Xent over z = [base0, base1, aux0, aux1] with 2 pairs, T = 0.5.
    const T = 0.5;
    const e = (u: number[], v: number[]) => Math.exp(cosine(u, v) / T);
    const l1 = -Math.log(e(base0, aux0) / (e(base0, base1) + e(base0, aux0) + e(base0, aux1)));
    const l2 = -Math.log(e(base1, aux1) / (e(base1, base0) + e(base1, aux0) + e(base1, aux1)));
    const l3 = -Math.log(e(aux0, base0) / (e(aux0, base0) + e(aux0, base1) + e(aux0, aux1)));
    const l4 = -Math.log(e(aux1, base1) / (e(aux1, base0) + e(aux1, base1) + e(aux1, aux0)));
    const expected = (l1 + l2 + l3 + l4) / 4;

    const base = tf.tensor2d(baseRows);
    const aux = tf.tensor2d(auxRows);
    const before = tf.memory().numTensors;
    const loss = tclGroupLoss(base, aux);
    const value = loss.dataSync()[0];
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(value).toBeCloseTo(expected, 5);
    expect(TCL_TEMPERATURE).toBe(0.5);
    expect(TCL_GAMMA).toBe(1);
    tf.dispose([base, aux]);
  });

  it('sends gradient only to the auxiliary rows of shared groups when the base is detached', () => {
    const base = tf.tensor2d(baseRows);
    const aux = tf.tensor2d(auxRows);
    const before = tf.memory().numTensors;
    const [gBase, gAux] = tf.grads((b: tf.Tensor, a: tf.Tensor) => tclGroupLoss(b as tf.Tensor2D, a as tf.Tensor2D))([base, aux]);
    const [gBaseFree, gAuxFree] = tf.grads((b: tf.Tensor, a: tf.Tensor) =>
      tclGroupLoss(b as tf.Tensor2D, a as tf.Tensor2D, { detachBase: false }),
    )([base, aux]);
    const baseGrad = Array.from(gBase?.dataSync() ?? []);
    const auxGrad = Array.from(gAux?.dataSync() ?? []);
    const freeGrad = Array.from(gBaseFree?.dataSync() ?? []);
    tf.dispose([gBase, gAux, gBaseFree, gAuxFree]);
    expect(tf.memory().numTensors).toBe(before);
    expect(baseGrad.every((v) => v === 0)).toBe(true);
    expect(auxGrad.every(Number.isFinite)).toBe(true);
    expect(auxGrad.some((v) => Math.abs(v) > 1e-5)).toBe(true);
    // Base row 3 (class 2, not in the auxiliary pathway) takes no part even without detaching.
    expect(freeGrad.slice(9, 12)).toEqual([0, 0, 0]);
    expect(freeGrad.slice(0, 3).some((v) => Math.abs(v) > 1e-5)).toBe(true);
    tf.dispose([base, aux]);
  });

  it('returns a scalar 0 with fewer than 2 shared groups', () => {
    const before = tf.memory().numTensors;
    const cases: [number[][], number[][]][] = [
      // No shared class: base says 0, auxiliary says 1.
      [
        [
          [3, 0],
          [2, 1],
        ],
        [
          [0, 3],
          [1, 2],
        ],
      ],
      // One shared class (0).
      [
        [
          [3, 0, 0],
          [0, 0, 3],
        ],
        [
          [3, 0, 0],
          [0, 3, 0],
        ],
      ],
      // Empty batch.
      [[], []],
    ];
    for (const [b, a] of cases) {
      const width = b[0]?.length ?? 3;
      const loss = tf.tidy(() => tclGroupLoss(tf.tensor2d(b, [b.length, width]), tf.tensor2d(a, [a.length, width])));
      expect(loss.rank).toBe(0);
      expect(loss.dataSync()[0]).toBe(0);
      loss.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects pathways with different class counts', () => {
    const base = tf.tensor2d([[1, 2, 3]]);
    const aux = tf.tensor2d([[1, 2]]);
    expect(() => tclGroupLoss(base, aux)).toThrow(/base has 3 classes but auxiliary has 2/);
    expect(() => tclGroupLoss(base, base, { temperature: -1 })).toThrow(/temperature must be a finite number > 0/);
    tf.dispose([base, aux]);
  });
});
