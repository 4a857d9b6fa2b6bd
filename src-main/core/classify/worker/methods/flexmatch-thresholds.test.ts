import { describe, expect, it } from 'vitest';
import { FlexMatchThresholds } from './flexmatch-thresholds.js';

/** Row-major probabilities for rows given as [class, top probability]; the rest spread evenly. */
function rows(spec: [number, number][], classes: number): Float32Array {
  const out = new Float32Array(spec.length * classes);
  spec.forEach(([best, top], r) => {
    for (let c = 0; c < classes; c++) out[r * classes + c] = c === best ? top : (1 - top) / (classes - 1);
  });
  return out;
}

const M = (beta: number) => beta / (2 - beta);

describe('FlexMatchThresholds', () => {
  it('starts with every threshold at 0, so the mask is all ones', () => {
    const flex = new FlexMatchThresholds(10, 3, 0.95, true);
    expect(flex.classThresholds()).toEqual([0, 0, 0]);
    const probs = rows([[0, 0.34], [1, 0.5], [2, 0.99], [0, 0.4]], 3);
    expect(Array.from(flex.mask(probs, [0, 1, 2, 3]))).toEqual([1, 1, 1, 1]);
  });

  it('gives T(c) = 0.95·β/(2−β) after known updates, with the warm-up denominator', () => {
    const flex = new FlexMatchThresholds(10, 3, 0.95, true);
    // Confident (≥ 0.95) rows set û: clips 0,1,2 → class 0, clip 3 → class 1; clip 4 is not confident.
    flex.update([0, 1, 2, 3, 4], rows([[0, 0.96], [0, 0.99], [0, 0.95], [1, 0.97], [2, 0.9]], 3));
    expect(flex.classCounts()).toEqual([3, 1, 0]);
    // σ = [3, 1, 0], unused = 10 − 4 = 6 → β = σ / max(3, 6) = [1/2, 1/6, 0]
    const expected = [0.95 * M(3 / 6), 0.95 * M(1 / 6), 0];
    flex.classThresholds().forEach((t, c) => expect(t).toBeCloseTo(expected[c] ?? NaN, 12));
    // Class 2 is still at threshold 0: any row predicting it passes.
    expect(Array.from(flex.mask(rows([[2, 0.34]], 3), [7]))).toEqual([1]);

    // More confident predictions: 7 of 10 clips labelled, σ = [3, 1, 3] after clip 4 and 5..7.
    flex.update([4, 5, 6, 7], rows([[2, 0.96], [2, 0.97], [2, 0.99], [1, 0.5]], 3));
    expect(flex.classCounts()).toEqual([3, 1, 3]);
    // unused = 3, max σ = 3 → β = [1, 1/3, 1] → T = [0.95, 0.95·0.2, 0.95]
    const later = [0.95, 0.95 * M(1 / 3), 0.95];
    flex.classThresholds().forEach((t, c) => expect(t).toBeCloseTo(later[c] ?? NaN, 12));
    // T = [0.95, 0.19, 0.95]: a class-0 row at 0.9 fails, at exactly 0.95 passes; a class-1 row at 0.4 passes.
    expect(Array.from(flex.mask(rows([[0, 0.9], [0, 0.95], [1, 0.4], [1, 0.15 + 0.2]], 3), [8, 9, 8, 9]))).toEqual([0, 1, 1, 1]);
  });

  it('re-labels a clip whose confident prediction changes class', () => {
    const flex = new FlexMatchThresholds(4, 2, 0.95, true);
    flex.update([0], rows([[0, 0.99]], 2));
    flex.update([0], rows([[1, 0.99]], 2));
    expect(flex.classCounts()).toEqual([0, 1]);
  });

  it('without warm-up divides by the largest class count only', () => {
    const flex = new FlexMatchThresholds(100, 3, 0.95, false);
    expect(flex.classThresholds()).toEqual([0, 0, 0]);
    flex.update([0, 1, 2, 3], rows([[0, 0.99], [0, 0.99], [1, 0.99], [0, 0.99]], 3));
    // σ = [3, 1, 0] → β = [1, 1/3, 0] (the 96 unused clips do not count)
    const expected = [0.95, 0.95 * M(1 / 3), 0];
    flex.classThresholds().forEach((t, c) => expect(t).toBeCloseTo(expected[c] ?? NaN, 12));
  });

  it('round-trips its state through JSON for checkpoints', () => {
    const flex = new FlexMatchThresholds(6, 3, 0.9, true);
    flex.update([1, 4], rows([[2, 0.95], [1, 0.92]], 3));
    const restored = FlexMatchThresholds.fromJSON(JSON.parse(JSON.stringify(flex.toJSON())) as ReturnType<typeof flex.toJSON>);
    expect(restored.classCounts()).toEqual(flex.classCounts());
    expect(restored.classThresholds()).toEqual(flex.classThresholds());
    expect(() => FlexMatchThresholds.fromJSON({ tau: 0.9, warmup: true, classes: 3, predicted: [0, 5] })).toThrow(/clip 1 has class 5/);
  });

  it('rejects indices outside the unlabelled set and mismatched rows', () => {
    const flex = new FlexMatchThresholds(3, 2, 0.95, true);
    expect(() => flex.mask(rows([[0, 0.9]], 2), [3])).toThrow(/index 3 is outside \[0, 3\)/);
    expect(() => flex.update([0, 1], rows([[0, 0.9]], 2))).toThrow(/2 probabilities for 2 clips of 2 classes/);
  });
});
