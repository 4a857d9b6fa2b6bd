import { describe, expect, it } from 'vitest';
import { minMaxNormalise, normaliseTaskScores, scoreRange } from './normalise.js';

describe('minMaxNormalise', () => {
  it('maps the smallest score to 0, the largest to 1 and the rest linearly', () => {
    // (v − 2) / (10 − 2) for v = 2, 4, 6, 10
    const { normalised, range } = minMaxNormalise([4, 2, 10, 6]);
    expect(range).toEqual({ min: 2, max: 10 });
    expect(Array.from(normalised)).toEqual([0.25, 0, 1, 0.5]);
  });

  it('handles negative scores and Float32Array input', () => {
    // (v + 3) / 4 for v = −3, −1, 1
    const { normalised, range } = minMaxNormalise(Float32Array.of(-1, -3, 1));
    expect(range).toEqual({ min: -3, max: 1 });
    expect(Array.from(normalised)).toEqual([0.5, 0, 1]);
  });

  it('turns constant scores into all 0: a task with no spread in a video carries no signal there', () => {
    const { normalised, range } = minMaxNormalise([0.7, 0.7, 0.7]);
    expect(range).toEqual({ min: 0.7, max: 0.7 });
    expect(Array.from(normalised)).toEqual([0, 0, 0]);
  });

  it('gives an empty result and no range for a video without regions', () => {
    const { normalised, range } = minMaxNormalise([]);
    expect(normalised.length).toBe(0);
    expect(range).toBeNull();
  });

  it('rejects NaN and infinite scores, naming the index', () => {
    expect(() => minMaxNormalise([1, 2, NaN], "task 'p-backward'")).toThrow("task 'p-backward': value 2 is NaN, expected a finite number");
    expect(() => scoreRange([Infinity])).toThrow('scores: value 0 is Infinity');
  });
});

describe('normaliseTaskScores', () => {
  it('normalises each task over the video on its own scale', () => {
    const scores = {
      'middle-frame-mae': [0.1, 0.3, 0.2], // → (v − 0.1) / 0.2 = 0, 1, 0.5
      'p-backward': [0.9, 0.5, 0.7], // → (v − 0.5) / 0.4 = 1, 0, 0.5
      'teacher-gap': [5, 6, 7], // not named below, so not used
    };
    const result = normaliseTaskScores(scores, ['middle-frame-mae', 'p-backward'], 3);
    expect(Object.keys(result)).toEqual(['middle-frame-mae', 'p-backward']);
    const mae = Array.from(result['middle-frame-mae']?.normalised ?? []);
    const backward = Array.from(result['p-backward']?.normalised ?? []);
    [0, 1, 0.5].forEach((v, i) => expect(mae[i]).toBeCloseTo(v, 6));
    [1, 0, 0.5].forEach((v, i) => expect(backward[i]).toBeCloseTo(v, 6));
    expect(result['p-backward']?.range).toEqual({ min: 0.5, max: 0.9 });
  });

  it('says which task is missing, too short or named wrongly', () => {
    const scores = { 'middle-frame-mae': [1, 2, 3], 'p-backward': [0.1, 0.2] };
    expect(() => normaliseTaskScores(scores, ['p-irregular'], 3)).toThrow(
      "task 'p-irregular' has no scores (given: middle-frame-mae, p-backward)",
    );
    expect(() => normaliseTaskScores(scores, ['middle-frame-mae', 'p-backward'], 3)).toThrow("task 'p-backward' has 2 scores for 3 regions");
    expect(() => normaliseTaskScores(scores, ['p-backward', 'p-backward'], 2)).toThrow("task 'p-backward' is named twice");
    expect(() => normaliseTaskScores(scores, [], 3)).toThrow('at least one task is needed');
    expect(() => normaliseTaskScores(scores, ['toString'], 3)).toThrow("task 'toString' has no scores");
  });
});
