import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/random.js';
import { badgeOrder, gradientSpace } from './badge.js';
import { kMeansPlusPlusSeeds, vectorSpace } from './kmeans-seeding.js';

const uniform = (seed: number) => {
  const rng = new Rng(seed);
  return () => rng.next();
};

describe('k-means++ seeding', () => {
  // Two tight clusters: four points near (10, 0), four near (0, 10); the longest is point 5.
  const twoClusters = [
    [10, 0], [10.001, 0], [9.999, 0.001], [10, -0.001],
    [0, 10], [0.001, 10.002], [-0.001, 9.999], [0, 10.001],
  ];

  it('with k = 2 on two tight clusters picks one point from each, whatever the draws', () => {
    for (let seed = 0; seed < 50; seed++) {
      const picks = kMeansPlusPlusSeeds(vectorSpace(twoClusters), 2, uniform(seed));
      expect(picks[0]).toBe(5);
      expect(picks).toHaveLength(2);
      expect(picks[1]).toBeLessThan(4);
    }
  });

  it('with k > n returns every point once, and k = 0 none', () => {
    const picks = kMeansPlusPlusSeeds(vectorSpace(twoClusters), 20, uniform(3));
    expect([...picks].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(kMeansPlusPlusSeeds(vectorSpace(twoClusters), 0, uniform(3))).toEqual([]);
    expect(kMeansPlusPlusSeeds(vectorSpace([]), 3, uniform(3))).toEqual([]);
  });

  it('breaks ties by index: equal lengths start with the first, and copies of picked points follow longest first', () => {
    const points = [[1, 0], [0, 1], [1, 0], [0, 1], [0, 0.5]];
    const picks = kMeansPlusPlusSeeds(vectorSpace(points), 5, uniform(1));
    expect(picks[0]).toBe(0);
    // After 0 the only points at a distance are 1, 3 (the same point) and 4; once 1 or 3 and 4 are in, the
    // copies left (2, and 3 or 1) lie on picks and come longest first, then by index.
    expect(picks.slice(0, 3).sort()).toEqual(picks.includes(1) && picks.indexOf(1) < 3 ? [0, 1, 4] : [0, 3, 4]);
    expect(picks.slice(3)).toEqual(picks.indexOf(1) < 3 ? [2, 3] : [1, 2]);
    // Identical points: nothing to draw, so index order.
    expect(kMeansPlusPlusSeeds(vectorSpace([[2, 2], [2, 2], [2, 2]]), 3, uniform(9))).toEqual([0, 1, 2]);
  });

  it('the same draws give the same picks', () => {
    const cloud = Array.from({ length: 60 }, (_, i) => [Math.sin(i * 1.7) * 5, Math.cos(i * 0.9) * 5]);
    expect(kMeansPlusPlusSeeds(vectorSpace(cloud), 10, uniform(4))).toEqual(kMeansPlusPlusSeeds(vectorSpace(cloud), 10, uniform(4)));
  });
});

describe('BADGE', () => {
  it('measures gradient embeddings (p − onehot(ŷ)) ⊗ h without building them', () => {
    const items = [
      { clipId: 1, probs: [0.7, 0.3], features: [1, 2, 0] },
      { clipId: 2, probs: [0.2, 0.8], features: [0, 1, 3] },
    ];
    const explicit = items.map(({ probs, features }) => {
      const top = probs.indexOf(Math.max(...probs));
      return probs.flatMap((p, c) => features.map((h) => (p - (c === top ? 1 : 0)) * h));
    });
    const space = gradientSpace(items);
    const plain = vectorSpace(explicit);
    expect(space.norm2(0)).toBeCloseTo(plain.norm2(0), 10);
    expect(space.norm2(1)).toBeCloseTo(plain.norm2(1), 10);
    expect(space.distance2(0, 1)).toBeCloseTo(plain.distance2(0, 1), 10);
  });

  it('picks the longest gradient first and never two near-copies while other clips are left', () => {
    // Clips 1–3: unsure, the same features (one hard case three times); clip 4: unsure, other and larger
    // features; clip 5: sure (its gradient is near zero). Least confidence would spend its first three
    // labels on 1–3; BADGE takes one of them, clip 4 and clip 5 before the other copies.
    const items = [
      { clipId: 5, probs: [0.99, 0.01], features: [1, 1, 1] },
      { clipId: 1, probs: [0.5, 0.5], features: [3, 0, 0] },
      { clipId: 2, probs: [0.5001, 0.4999], features: [3, 0.0001, 0] },
      { clipId: 3, probs: [0.5, 0.5], features: [2.9999, 0, 0] },
      { clipId: 4, probs: [0.45, 0.55], features: [0, 0, 6] },
    ];
    for (let seed = 0; seed < 100; seed++) {
      const order = badgeOrder(items, seed);
      expect(order[0]).toBe(4);
      const firstThree = order.slice(0, 3);
      expect(firstThree).toContain(5);
      expect(firstThree.filter((clipId) => clipId <= 3)).toHaveLength(1);
      expect([...order].sort()).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('orders the clips past the seeded picks by gradient length', () => {
    const items = [
      { clipId: 1, probs: [0.9, 0.1], features: [1, 0] },
      { clipId: 2, probs: [0.6, 0.4], features: [1, 0] },
      { clipId: 3, probs: [0.5, 0.5], features: [0, 1] },
      { clipId: 4, probs: [0.7, 0.3], features: [1, 0] },
    ];
    const order = badgeOrder(items, 1, 1);
    expect(order).toEqual([3, 2, 4, 1]);
  });
});
