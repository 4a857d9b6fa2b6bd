import { describe, expect, it } from 'vitest';
import { acquisitionStrategies } from '../../shared/review.js';
import { acquisitionScore, featuresOf, isSetStrategy, orderByAcquisition, seededUniform, UNSCORED } from './acquisition.js';

const sure = featuresOf(1, [0.9, 0.05, 0.05], { uncertainty: 0.3, mutualInfo: 0.2 });
const torn = featuresOf(2, [0.5, 0.45, 0.05], { uncertainty: 0.1, mutualInfo: 0.4 });
const flat = featuresOf(3, [1 / 3, 1 / 3, 1 / 3]);

describe('acquisition functions on fixed probabilities', () => {
  it('least confidence is 1 − the top probability', () => {
    expect(acquisitionScore('least-confidence', sure, 0)).toBeCloseTo(0.1);
    expect(acquisitionScore('least-confidence', torn, 0)).toBeCloseTo(0.5);
    expect(acquisitionScore('least-confidence', flat, 0)).toBeCloseTo(2 / 3);
  });

  it('margin is minus the gap between the two likeliest classes', () => {
    expect(acquisitionScore('margin', sure, 0)).toBeCloseTo(-0.85);
    expect(acquisitionScore('margin', torn, 0)).toBeCloseTo(-0.05);
    expect(acquisitionScore('margin', flat, 0)).toBeCloseTo(0);
  });

  it('entropy is H(p) in nats', () => {
    expect(acquisitionScore('entropy', flat, 0)).toBeCloseTo(Math.log(3));
    expect(acquisitionScore('entropy', sure, 0)).toBeCloseTo(-(0.9 * Math.log(0.9) + 2 * 0.05 * Math.log(0.05)));
  });

  it('mc-std and BALD use the MC statistics, and put clips without them last', () => {
    expect(acquisitionScore('mc-std', sure, 0)).toBe(0.3);
    expect(acquisitionScore('bald', torn, 0)).toBe(0.4);
    expect(acquisitionScore('mc-std', flat, 0)).toBe(UNSCORED);
    expect(acquisitionScore('bald', flat, 0)).toBe(UNSCORED);
    expect(orderByAcquisition('mc-std', [flat, torn, sure], 0).map((f) => f.clipId)).toEqual([1, 2, 3]);
    expect(orderByAcquisition('bald', [flat, sure, torn], 0).map((f) => f.clipId)).toEqual([2, 1, 3]);
    // Two unscored clips keep clip-id order.
    const other = featuresOf(0, [0.6, 0.4]);
    expect(orderByAcquisition('bald', [flat, other], 0).map((f) => f.clipId)).toEqual([0, 3]);
  });

  it('confident is the top probability: the surest first', () => {
    expect(orderByAcquisition('confident', [flat, torn, sure], 0).map((f) => f.clipId)).toEqual([1, 2, 3]);
  });

  it('random is a seeded shuffle: the same seed gives the same order, another seed another', () => {
    const clips = Array.from({ length: 40 }, (_, i) => featuresOf(i + 1, [0.5, 0.5]));
    const order = (seed: number) => orderByAcquisition('random', clips, seed).map((f) => f.clipId);
    expect(order(7)).toEqual(order(7));
    expect([...order(7)].sort((a, b) => a - b)).toEqual(clips.map((c) => c.clipId));
    expect(order(7)).not.toEqual(order(8));
    expect(order(7)).not.toEqual(clips.map((c) => c.clipId));
    for (const clip of clips) {
      const u = seededUniform(123, clip.clipId);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });

  it('uncertainty strategies order the same three clips from least to most sure', () => {
    for (const strategy of ['least-confidence', 'margin', 'entropy'] as const) {
      expect(orderByAcquisition(strategy, [sure, torn, flat], 0).map((f) => f.clipId)).toEqual([3, 2, 1]);
    }
    // Every clip-by-clip strategy has a score for every clip (finite: JSON carries it); BADGE scores the queue as a whole.
    for (const strategy of acquisitionStrategies) {
      if (isSetStrategy(strategy)) continue;
      for (const f of [sure, torn, flat]) expect(Number.isFinite(acquisitionScore(strategy, f, 1))).toBe(true);
    }
  });
});
