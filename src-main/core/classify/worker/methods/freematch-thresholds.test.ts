import { describe, expect, it } from 'vitest';
import { classThresholdsFromJSON } from './class-thresholds.js';
import { maskFromThresholds } from './flexmatch-thresholds.js';
import { FreeMatchThresholds } from './freematch-thresholds.js';

describe('FreeMatchThresholds', () => {
  it('starts every threshold at 1/C, the running means uniform', () => {
    const free = new FreeMatchThresholds(4, 0.999);
    expect(free.globalThreshold()).toBe(0.25);
    expect(free.classThresholds()).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(free.fairnessReference()).toEqual({ classMean: [0.25, 0.25, 0.25, 0.25], labelHistogram: [0.25, 0.25, 0.25, 0.25] });
  });

  it('moves τ, p̃ and h̃ by λ after a step and scales τ per class by MaxNorm(p̃) (hand-computed)', () => {
    const free = new FreeMatchThresholds(2, 0.5);
    // Rows [0.8, 0.2] and [0.4, 0.6]: mean top 0.7, mean probabilities [0.6, 0.4], argmax histogram [1/2, 1/2].
    free.update([0, 1], Float32Array.from([0.8, 0.2, 0.4, 0.6]));
    // τ = 0.5·0.5 + 0.5·0.7 = 0.6; p̃ = 0.5·[0.5, 0.5] + 0.5·[0.6, 0.4] = [0.55, 0.45]; h̃ = [0.5, 0.5].
    expect(free.globalThreshold()).toBeCloseTo(0.6, 6);
    const reference = free.fairnessReference();
    expect(reference.classMean[0]).toBeCloseTo(0.55, 6);
    expect(reference.classMean[1]).toBeCloseTo(0.45, 6);
    expect(reference.labelHistogram).toEqual([0.5, 0.5]);
    // T = 0.6 · [0.55, 0.45] / 0.55 = [0.6, 0.4909…]
    const [t0, t1] = free.classThresholds();
    expect(t0).toBeCloseTo(0.6, 6);
    expect(t1).toBeCloseTo((0.6 * 0.45) / 0.55, 6);

    // A second step, three rows all predicting class 0: mean top (0.9 + 0.7 + 0.5) / 3 = 0.7.
    free.update([], Float32Array.from([0.9, 0.1, 0.7, 0.3, 0.5, 0.5]));
    // τ = 0.5·0.6 + 0.5·0.7 = 0.65; p̃ = 0.5·[0.55, 0.45] + 0.5·[0.7, 0.3] = [0.625, 0.375]; h̃ = 0.5·[0.5, 0.5] + 0.5·[1, 0] = [0.75, 0.25].
    expect(free.globalThreshold()).toBeCloseTo(0.65, 6);
    expect(free.fairnessReference().labelHistogram).toEqual([0.75, 0.25]);
    const later = free.classThresholds();
    expect(later[0]).toBeCloseTo(0.65, 6);
    expect(later[1]).toBeCloseTo((0.65 * 0.375) / 0.625, 6);
    // The mask compares each row's top probability with its top class's threshold: 0.39 for class 1.
    const mask = maskFromThresholds(Float32Array.from([0.64, 0.36, 0.66, 0.34, 0.38, 0.62, 0.6, 0.4]), 2, later);
    expect(Array.from(mask)).toEqual([0, 1, 1, 0]);
  });

  it('a step without unlabelled rows changes nothing; rows of the wrong width are refused', () => {
    const free = new FreeMatchThresholds(3, 0.9);
    free.update([], new Float32Array(0));
    expect(free.globalThreshold()).toBeCloseTo(1 / 3, 12);
    expect(() => free.update([0], Float32Array.from([0.5, 0.5]))).toThrow(/2 probabilities are not rows of 3 classes/);
    expect(() => new FreeMatchThresholds(3, 1)).toThrow(/momentum λ must be in \[0, 1\)/);
  });

  it('survives a checkpoint: the JSON restores the same thresholds, and a damaged state is refused', () => {
    const free = new FreeMatchThresholds(3, 0.9);
    free.update([0, 1], Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6]));
    const json = JSON.parse(JSON.stringify(free.toJSON())) as ReturnType<FreeMatchThresholds['toJSON']>;
    expect(json.kind).toBe('freematch');
    const restored = classThresholdsFromJSON(json);
    expect(restored).toBeInstanceOf(FreeMatchThresholds);
    expect(restored.classThresholds()).toEqual(free.classThresholds());
    expect((restored as FreeMatchThresholds).fairnessReference()).toEqual(free.fairnessReference());
    expect(() => FreeMatchThresholds.fromJSON({ ...json, labelHistogram: [0.5, 0.5] })).toThrow(/3 class means but 2 histogram entries/);
    expect(() => FreeMatchThresholds.fromJSON({ ...json, confidence: 1.5 })).toThrow(/outside \[0, 1\]/);
  });
});
