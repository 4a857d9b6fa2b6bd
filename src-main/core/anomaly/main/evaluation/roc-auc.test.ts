import { describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/random.js';
import { areaUnderCurve, classCounts, rocAuc, rocCurve } from './roc-auc.js';
import { apiErrorOf } from './api-error-of.fixture.js';

// Four anomalous and four normal frames, with ties at 0.8 (one of each) and 0.6 (one vs two).
const SCORES = [0.9, 0.8, 0.8, 0.6, 0.6, 0.6, 0.3, 0.1];
const TRUTH = [1, 1, 0, 1, 0, 0, 1, 0];

/** Mann–Whitney by brute force over every (anomalous, normal) pair: the definition itself. */
function pairwiseAuc(scores: ArrayLike<number>, truth: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] !== 1) continue;
    for (let j = 0; j < truth.length; j++) {
      if (truth[j] !== 0) continue;
      pairs++;
      if (scores[i]! > scores[j]!) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

describe('rocCurve', () => {
  it('steps through the hand-computed ROC, one point per distinct score', () => {
    // Thresholds ≥0.9: TP 1 FP 0; ≥0.8: TP 2 FP 1; ≥0.6: TP 3 FP 3; ≥0.3: TP 4 FP 3; ≥0.1: TP 4 FP 4.
    expect(rocCurve(SCORES, TRUTH)).toEqual([
      { threshold: Infinity, fpr: 0, tpr: 0 },
      { threshold: 0.9, fpr: 0, tpr: 0.25 },
      { threshold: 0.8, fpr: 0.25, tpr: 0.5 },
      { threshold: 0.6, fpr: 0.75, tpr: 0.75 },
      { threshold: 0.3, fpr: 0.75, tpr: 1 },
      { threshold: 0.1, fpr: 1, tpr: 1 },
    ]);
  });

  it('thins the curve for display with maxPoints, keeping both ends', () => {
    // maxPoints 2 keeps a point once fpr + tpr moved by 1: (0.75, 0.75) is the first such, then the end.
    expect(rocCurve(SCORES, TRUTH, { maxPoints: 2 })).toEqual([
      { threshold: Infinity, fpr: 0, tpr: 0 },
      { threshold: 0.6, fpr: 0.75, tpr: 0.75 },
      { threshold: 0.1, fpr: 1, tpr: 1 },
    ]);
    const rng = new Rng(3);
    const n = 20_000;
    const truth = Uint8Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const scores = Float32Array.from(truth, (t) => rng.next() + 0.5 * t);
    const thin = rocCurve(scores, truth, { maxPoints: 100 });
    expect(thin.length).toBeLessThanOrEqual(102);
    expect(thin.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    expect(areaUnderCurve(thin)).toBeCloseTo(rocAuc(scores, truth), 2);
    expect(() => rocCurve(SCORES, TRUTH, { maxPoints: 1 })).toThrow(
      'maxPoints must be a whole number of at least 2, not 1.',
    );
  });

  it('takes Float32Array scores and Uint8Array truth', () => {
    const points = rocCurve(Float32Array.from([0.5, 0.25, 0.25]), Uint8Array.from([1, 0, 1]));
    expect(points.map((p) => [p.threshold, p.fpr, p.tpr])).toEqual([
      [Infinity, 0, 0],
      [0.5, 0, 0.5],
      [0.25, 1, 1],
    ]);
  });
});

describe('rocAuc', () => {
  it('equals the trapezoid area of the hand-computed ROC with ties as diagonal steps', () => {
    // Trapezoids: 0 + 0.25·0.75/2 + 0.5·1.25/2 + 0 + 0.25·2/2 = 0.09375 + 0.3125 + 0.25 = 21/32.
    // Mann–Whitney: 0.9 beats 4; 0.8 beats 3, ties 1; 0.6 beats 1, ties 2; 0.3 beats 1 → 10.5 / 16.
    expect(rocAuc(SCORES, TRUTH)).toBe(21 / 32);
    expect(areaUnderCurve(rocCurve(SCORES, TRUTH))).toBeCloseTo(21 / 32, 12);
  });

  it('is 1 for a perfect ranking, 0 for an inverted one and 0.5 when every score ties', () => {
    expect(rocAuc([0.1, 0.2, 0.7, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.7, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(rocAuc(new Float32Array(6).fill(0.3), [1, 0, 0, 1, 0, 0])).toBe(0.5);
  });

  it('does not depend on the order of frames', () => {
    const order = [5, 2, 7, 0, 3, 6, 1, 4];
    expect(rocAuc(order.map((i) => SCORES[i]!), order.map((i) => TRUTH[i]!))).toBe(21 / 32);
  });

  it('agrees with the pairwise definition and with the curve area on data full of ties', () => {
    const rng = new Rng(7);
    for (let round = 0; round < 5; round++) {
      const n = 300 + round * 50;
      const truth = new Uint8Array(n);
      const scores = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        truth[i] = rng.bool(0.3) ? 1 : 0;
        // Few distinct values, shifted for anomalies: many ties across and within classes.
        scores[i] = Math.floor(rng.uniform(0, 8) + truth[i]! * 2) / 4;
      }
      const auc = rocAuc(scores, truth);
      expect(auc).toBeCloseTo(pairwiseAuc(scores, truth), 12);
      expect(areaUnderCurve(rocCurve(scores, truth))).toBeCloseTo(auc, 12);
    }
  });

  it('handles long videos (200,000 frames) and matches the curve area', () => {
    const rng = new Rng(11);
    const n = 200_000;
    const truth = new Uint8Array(n);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      truth[i] = i % 10 < 2 ? 1 : 0;
      scores[i] = Math.round((rng.next() + 0.4 * truth[i]!) * 1000) / 1000;
    }
    const auc = rocAuc(scores, truth);
    expect(auc).toBeGreaterThan(0.7);
    expect(areaUnderCurve(rocCurve(scores, truth))).toBeCloseTo(auc, 9);
  });

  it('says when the truth has only one class', () => {
    expect(apiErrorOf(() => rocAuc([0.1, 0.2, 0.3], [0, 0, 0])).message).toBe(
      'AUC needs both normal and anomalous frames, but the ground truth marks all 3 frames as normal.',
    );
    expect(apiErrorOf(() => rocCurve([0.1, 0.2], [1, 1])).message).toContain('all 2 frames as anomalous');
    expect(apiErrorOf(() => rocAuc([], [])).message).toContain('there are none');
  });

  it('rejects mismatched lengths, truth other than 0/1 and non-finite scores', () => {
    expect(apiErrorOf(() => rocAuc([0.1, 0.2], [0, 1, 1])).message).toBe(
      'Scores and ground truth differ in length: 2 scores for 3 truth frames.',
    );
    expect(apiErrorOf(() => rocAuc([0.1, 0.2, 0.3], [0, 2, 1])).message).toBe('Ground truth must be 0 or 1; frame 1 is 2.');
    const nan = apiErrorOf(() => rocAuc([0.1, NaN, 0.3], [0, 1, 1]));
    expect(nan.code).toBe('INVALID_PARAMS');
    expect(nan.message).toBe('The score of frame 1 is NaN.');
  });
});

describe('classCounts', () => {
  it('counts anomalous and normal frames', () => {
    expect(classCounts(SCORES, TRUTH)).toEqual({ positives: 4, negatives: 4 });
    expect(classCounts([1, 2, 3], Uint8Array.from([0, 0, 1]))).toEqual({ positives: 1, negatives: 2 });
  });
});
