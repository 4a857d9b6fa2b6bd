import { describe, expect, it } from 'vitest';
import { precisionRecallSummary } from './precision-recall.js';

describe('precisionRecallSummary', () => {
  it("gives scikit-learn's average precision for its documented example, and the threshold of best F1", () => {
    // average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333 in scikit-learn's docs.
    // By hand, thresholds high to low: 0.8 → P 1, R ½; 0.4 → P ½, R ½; 0.35 → P ⅔, R 1; 0.1 → P ½, R 1.
    // AP = ½·1 + 0·½ + ½·⅔ + 0·½ = ⅚. F1 = 2TP/(2TP+FP+FN): ⅔, ½, 0.8, ⅔: best at 0.35.
    const s = precisionRecallSummary([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(s.averagePrecision).toBeCloseTo(5 / 6, 12);
    expect(s.bestF1.threshold).toBeCloseTo(0.35, 6);
    expect(s.bestF1.f1).toBeCloseTo(0.8, 12);
    expect(s.bestF1.precision).toBeCloseTo(2 / 3, 12);
    expect(s.bestF1.recall).toBe(1);
  });

  it('takes tied scores as one step (no credit for an order the scores do not give)', () => {
    // One threshold 0.5 flags three frames, two anomalous: P ⅔, R 1 → AP ⅔; F1 = 4/5 there, 4/6 at 0.2.
    const s = precisionRecallSummary(Float32Array.from([0.5, 0.5, 0.5, 0.2]), [1, 0, 1, 0]);
    expect(s.averagePrecision).toBeCloseTo(2 / 3, 12);
    expect(s.bestF1).toEqual({ threshold: 0.5, f1: 0.8, precision: 2 / 3, recall: 1 });
  });

  it('is 1 for a perfect ranking and keeps the highest threshold when F1 ties', () => {
    const s = precisionRecallSummary([0.9, 0.8, 0.3, 0.2, 0.1], [1, 1, 0, 0, 0]);
    expect(s.averagePrecision).toBe(1);
    expect(s.bestF1).toEqual({ threshold: 0.8, f1: 1, precision: 1, recall: 1 });
    // F1 is ⅔ at 0.9 (TP 1, FN 1) and ⅔ again at 0.5 (TP 2, FP 2): the higher threshold is kept.
    expect(precisionRecallSummary([0.9, 0.7, 0.6, 0.5], [1, 0, 0, 1]).bestF1.threshold).toBe(0.9);
  });

  it('equals the share of anomalous frames when every score ties (a detector that knows nothing)', () => {
    const truth = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0];
    expect(precisionRecallSummary(new Array<number>(10).fill(0.3), truth).averagePrecision).toBeCloseTo(0.2, 12);
  });

  it('needs anomalous frames and finite scores of the truth\'s length', () => {
    expect(() => precisionRecallSummary([0.1, 0.2], [0, 0])).toThrow('Average precision needs anomalous frames, but all 2 frames are normal.');
    expect(() => precisionRecallSummary([0.1], [0, 1])).toThrow('differ in length');
    expect(() => precisionRecallSummary([Number.NaN, 0.2], [1, 0])).toThrow('The score of frame 0 is NaN.');
  });
});
